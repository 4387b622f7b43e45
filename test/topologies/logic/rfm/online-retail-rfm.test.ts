import { beforeAll, describe, expect, it } from 'vitest';
import { decimal, formatDecimal, multiplyInt } from '../../../../topologies/logic/money/decimal.ts';
import { batchRfm } from '../../../../topologies/logic/rfm/batch-rfm.ts';
import type { RfmEvent } from '../../../../topologies/logic/rfm/customer-rfm.ts';
import { IncrementalRfm } from '../../../../topologies/logic/rfm/incremental-rfm.ts';
import type { RfmScore } from '../../../../topologies/logic/rfm/rfm-scores.ts';
import { readCleanOnlineRetail } from '../../support/online-retail.ts';

/**
 * The published RFM segmentation of UCI Online Retail (pandas: today = 2011-12-11,
 * recency = (today − last invoice).days, frequency = distinct invoices, qcut into 5 with
 * recency labels reversed and frequency ranked method="first", segments by the R×F regex
 * map). Its segment table: 4,338 customers.
 */
const PUBLISHED: Record<string, number> = {
  hibernating: 1071,
  loyal_customers: 819,
  champions: 633,
  at_risk: 593,
  potential_loyalists: 484,
  about_to_sleep: 352,
  need_attention: 187,
  promising: 94,
  cant_lose: 63,
  new_customers: 42,
};
const TODAY = Date.UTC(2011, 11, 11);

let events: RfmEvent[];
let total: number;
let scores: RfmScore[];

beforeAll(() => {
  const data = readCleanOnlineRetail();
  total = data.total;
  events = data.rows.map((r) => ({ kind: 'purchase', customerId: r.customerId, orderId: r.invoice, time: r.invoiceTime, amount: multiplyInt(decimal(r.unitPrice), r.quantity) }));
  scores = batchRfm(events, TODAY);
}, 60_000);

describe('RFM on UCI Online Retail', () => {
  it('reads all 541,909 rows and keeps 4,338 customers after the usual cleaning', () => {
    expect(total).toBe(541_909);
    expect(scores).toHaveLength(4_338);
  });

  it('reproduces the published segment counts exactly', () => {
    const counts: Record<string, number> = {};
    for (const s of scores) counts[s.segment] = (counts[s.segment] ?? 0) + 1;
    expect(counts).toEqual(PUBLISHED);
  });

  it('gives the well-known figures of single customers', () => {
    const byId = new Map(scores.map((s) => [s.customerId, s]));
    // 12346 bought 74,215 units at 1.04 once, on 2011-01-18, and cancelled them (dropped by the cleaning)
    expect([byId.get('12346')!.recencyDays, byId.get('12346')!.frequency, formatDecimal(byId.get('12346')!.monetary)]).toEqual([326, 1, '77183.60']);
    expect(byId.get('12346')!.segment).toBe('hibernating');
  });

  it('the continuous updater reaches the same scores as the batch', () => {
    const live = new IncrementalRfm();
    for (const e of events) live.apply(e);
    expect(live.scores(TODAY)).toEqual(scores);
  });
});
