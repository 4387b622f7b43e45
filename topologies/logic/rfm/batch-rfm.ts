import { add, subtract, zero, type Decimal } from '../money/decimal.ts';
import type { RfmEvent } from './customer-rfm.ts';
import { scoreRfm, type RfmInput, type RfmScore } from './rfm-scores.ts';
import type { SegmentMap } from './segment-map.ts';

/** Batch RFM: groups all events by customer in one pass, then scores the population. */
export function rfmInputs(events: Iterable<RfmEvent>): RfmInput[] {
  const byCustomer = new Map<string, { last: number | null; orders: Set<string>; monetary: Decimal }>();
  for (const e of events) {
    let c = byCustomer.get(e.customerId);
    if (c === undefined) byCustomer.set(e.customerId, (c = { last: null, orders: new Set(), monetary: zero(2) }));
    if (e.kind === 'cancellation') {
      c.monetary = subtract(c.monetary, e.amount);
      continue;
    }
    c.last = c.last === null || e.time > c.last ? e.time : c.last;
    c.orders.add(e.orderId);
    c.monetary = add(c.monetary, e.amount);
  }
  const inputs: RfmInput[] = [];
  for (const [customerId, c] of byCustomer) {
    if (c.last !== null) inputs.push({ customerId, lastPurchase: c.last, frequency: c.orders.size, monetary: c.monetary });
  }
  return inputs;
}

export function batchRfm(events: Iterable<RfmEvent>, referenceTime: number, map?: SegmentMap): RfmScore[] {
  return scoreRfm(rfmInputs(events), referenceTime, map);
}
