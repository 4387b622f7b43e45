import { describe, expect, it } from 'vitest';
import { readEvent, type OracleEvent } from '../../../topologies/oracle/oracle-input.ts';
import { oracleRfm } from '../../../topologies/oracle/oracle-rfm.ts';
import { readCleanOnlineRetail } from '../support/online-retail.ts';

/** The published segment table of the pandas RFM analysis of UCI Online Retail (4,338 customers). */
const PUBLISHED = { hibernating: 1071, loyal_customers: 819, champions: 633, at_risk: 593, potential_loyalists: 484, about_to_sleep: 352, need_attention: 187, promising: 94, cant_lose: 63, new_customers: 42 };

describe('oracle RFM', () => {
  it('reproduces the published UCI Online Retail segment counts on its own', () => {
    const { rows } = readCleanOnlineRetail();
    const rates = { base: 'GBP', rates: {} };
    const kept: OracleEvent[] = rows.map((r, i) => readEvent({ type: 'order', eventId: `row${i}`, orderId: r.invoice, customerId: r.customerId, time: r.invoiceTime, channel: 'web', country: 'GB', currency: 'GBP', lines: [{ productId: 'x', category: 'x', quantity: r.quantity, unitPrice: r.unitPrice }] }, rates)!);
    const scores = oracleRfm(kept, Date.UTC(2011, 11, 11));
    expect(scores).toHaveLength(4338);
    const counts: Record<string, number> = {};
    for (const s of scores) counts[s.segment] = (counts[s.segment] ?? 0) + 1;
    expect(counts).toEqual(PUBLISHED);
  }, 60_000);
});
