import { describe, expect, it } from 'vitest';
import { runGoldOracle } from '../../../topologies/oracle/gold-oracle.ts';
import { SEEDED_RATES, seededInput } from '../../../topologies/oracle/seeded-input.ts';
import { runLogicPipeline } from './support/logic-pipeline.ts';

const START = Date.UTC(2024, 5, 1);
const sortRows = <T>(rows: T[]): T[] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('seeded input: logic equals oracle', () => {
  it('is reproducible from its seed and has every kind of fault', () => {
    const input = seededInput({ seed: 7, events: 1500, start: START });
    expect(seededInput({ seed: 7, events: 1500, start: START })).toEqual(input);
    const { counts } = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: START + 30 * 86_400_000 });
    expect(counts.input).toBe(input.length);
    expect(counts.accepted + counts.malformed + counts.late + counts.duplicates).toBe(counts.input);
    expect(Math.min(counts.malformed, counts.late, counts.duplicates)).toBeGreaterThan(10);
  });

  it('links a share of orders to a clickstream user other than the customer, whose campaign clicks exist', () => {
    const input = seededInput({ seed: 7, events: 1500, start: START });
    const linked = input.filter((e) => e.type === 'order' && typeof e.userId === 'string' && e.userId !== '' && e.userId !== e.customerId);
    const orders = input.filter((e) => e.type === 'order');
    expect(linked.length / orders.length).toBeGreaterThan(0.2);
    const visitors = new Set(linked.map((o) => o.userId));
    expect(input.some((e) => e.type === 'click' && visitors.has(e.userId) && e.campaign !== null)).toBe(true);
    // The link changes attribution: dropping the userIds credits other touches.
    const options = { rates: SEEDED_RATES, rfmReferenceTime: START + 30 * 86_400_000 };
    const unlinked = input.map((e) => (linked.includes(e) ? { ...e, userId: null } : e));
    expect(sortRows(runGoldOracle(unlinked, options).attribution)).not.toEqual(sortRows(runGoldOracle(input, options).attribution));
  });

  for (const seed of [1, 2, 3, 42]) {
    it(`seed ${seed}: every gold output is equal, money to the cent`, () => {
      const input = seededInput({ seed, events: 900, start: START, customers: 15 });
      const reference = START + 30 * 86_400_000;
      const lookbackMs = seed === 42 ? 2 * 86_400_000 : undefined;
      const oracle = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: reference, lookbackMs });
      const logic = runLogicPipeline(input, SEEDED_RATES, reference, lookbackMs);
      expect(logic.counts).toEqual(oracle.counts);
      expect(sortRows(logic.sales)).toEqual(sortRows(oracle.sales));
      expect(sortRows(logic.channels)).toEqual(sortRows(oracle.channels));
      expect(sortRows(logic.attribution)).toEqual(sortRows(oracle.attribution));
      expect(logic.rfm).toEqual(oracle.rfm);
      expect(oracle.rfm.length).toBe(15);
    });
  }
});
