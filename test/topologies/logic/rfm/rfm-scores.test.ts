import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal, formatDecimal } from '../../../../topologies/logic/money/decimal.ts';
import { batchRfm } from '../../../../topologies/logic/rfm/batch-rfm.ts';
import type { RfmEvent } from '../../../../topologies/logic/rfm/customer-rfm.ts';
import { IncrementalRfm } from '../../../../topologies/logic/rfm/incremental-rfm.ts';

const DAY = 86_400_000;
const REF = Date.UTC(2024, 0, 31);
const purchase = (customerId: string, orderId: string, daysBefore: number, amount: string): RfmEvent => ({ kind: 'purchase', customerId, orderId, time: REF - daysBefore * DAY - 3_600_000, amount: decimal(amount) });

/** Five customers: recency 1, 10, 30, 60, 200 days; frequency 10, 1, 5, 2, 3 orders. */
function fiveCustomers(): RfmEvent[] {
  const events: RfmEvent[] = [];
  const spec: [string, number, number][] = [['A', 1, 10], ['B', 10, 1], ['C', 30, 5], ['D', 60, 2], ['E', 200, 3]];
  for (const [id, recency, orders] of spec) for (let o = 0; o < orders; o++) events.push(purchase(id, `${id}-${o}`, recency + o, '10.00'));
  return events;
}

/** Fisher-Yates with a small linear congruential generator, so the orders are reproducible. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('RFM scores', () => {
  it('scores a hand-worked population of five', () => {
    // R: recency ascending gives 5,4,3,2,1. F ranks: B(1) D(2) E(3) C(5) A(10) → B1 D2 E3 C4 A5.
    const byId = Object.fromEntries(batchRfm(fiveCustomers(), REF).map((s) => [s.customerId, [s.recencyDays, s.r, s.f, s.segment]]));
    expect(byId).toEqual({
      A: [1, 5, 5, 'champions'],
      B: [10, 4, 1, 'promising'],
      C: [30, 3, 4, 'loyal_customers'],
      D: [60, 2, 2, 'hibernating'],
      E: [200, 1, 3, 'at_risk'],
    });
  });

  it('breaks frequency ties by customer id (numeric when ids are digits)', () => {
    const ids = ['10', '9', '8', '7', '6', '5', '4', '3', '2', '1'];
    const scores = batchRfm(ids.map((id) => purchase(id, `o${id}`, 5, '1.00')), REF);
    expect(scores.map((s) => [s.customerId, s.f])).toEqual([['1', 1], ['2', 1], ['3', 2], ['4', 2], ['5', 3], ['6', 3], ['7', 4], ['8', 4], ['9', 5], ['10', 5]]);
    expect(new Set(scores.map((s) => s.r))).toEqual(new Set([5])); // equal recencies share bin 1, so R = 5
  });

  it('nets cancellations from monetary, counts distinct orders and ignores cancellation-only customers', () => {
    const events: RfmEvent[] = [
      purchase('A', 'o1', 3, '40.00'),
      purchase('A', 'o1', 3, '2.50'), // a second line of the same order
      purchase('A', 'o2', 1, '10.00'),
      { kind: 'cancellation', customerId: 'A', orderId: 'o1', time: REF - DAY, amount: decimal('2.50') },
      { kind: 'cancellation', customerId: 'Z', orderId: 'o9', time: REF - DAY, amount: decimal('5.00') },
    ];
    const [a, ...others] = batchRfm(events, REF);
    expect(others).toEqual([]);
    expect([a!.frequency, formatDecimal(a!.monetary), a!.recencyDays]).toEqual([2, '50.00', 1]);
  });

  it('incremental updates give the batch result, in any arrival order', () => {
    const events = [...fiveCustomers(), { kind: 'cancellation', customerId: 'C', orderId: 'C-0', time: REF - DAY, amount: decimal('3.00') } as RfmEvent];
    const batch = batchRfm(events, REF);
    for (let seed = 1; seed <= 5; seed++) {
      const shuffled = shuffle(events, seed);
      const live = new IncrementalRfm();
      for (const e of shuffled) live.apply(e);
      expect(live.scores(REF)).toEqual(batch);
    }
  });
});

describe('continuous RFM (property)', () => {
  it('equals the batch for any events in any order', () => {
    const event = fc.record({
      kind: fc.constantFrom<'purchase' | 'cancellation'>('purchase', 'purchase', 'cancellation'),
      customerId: fc.constantFrom('1', '2', '3', '10', '11', 'x'),
      orderId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      day: fc.integer({ min: 0, max: 60 }),
      cents: fc.bigInt({ min: 1n, max: 100_000n }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), (specs, seed) => {
        const events: RfmEvent[] = specs.map((s) => ({ kind: s.kind, customerId: s.customerId, orderId: s.orderId, time: REF - s.day * DAY, amount: { units: s.cents, scale: 2 } }));
        const live = new IncrementalRfm();
        for (const e of shuffle(events, seed)) live.apply(e);
        expect(live.scores(REF)).toEqual(batchRfm(events, REF));
      }),
    );
  });
});
