import { describe, expect, it } from 'vitest';
import { applyInteraction, categoryAffinity, interactionScores, mergeFeatures, type CustomerFeatures, type InteractionEvent } from '../../../../topologies/logic/features/interaction-scores.ts';

const DAY = 86_400_000;
const e = (productId: string, category: string | null, eventType: string, day: number): InteractionEvent => ({ customerId: 'u', productId, category, eventType, time: day * DAY });
const fold = (events: InteractionEvent[], config?: Parameters<typeof applyInteraction>[2]) => events.reduce<CustomerFeatures | undefined>((s, ev) => applyInteraction(s, ev, config), undefined)!;

const EVENTS = [e('p', 'toys', 'view', 0), e('p', 'toys', 'cart', 7), e('p', 'toys', 'purchase', 14), e('q', 'books', 'view', 14), e('q', 'books', 'remove_from_cart', 14)];

describe('interaction scores and category affinity', () => {
  it('weights view 1, cart 3, purchase 5 and halves every 7 days', () => {
    const s = fold(EVENTS);
    // day 14: 1·2^-2 + 3·2^-1 + 5 = 6.75; q: 1
    expect(interactionScores(s, 14 * DAY)).toEqual({ p: 6.75, q: 1 });
    // day 21: everything halves once more
    expect(interactionScores(s, 21 * DAY)).toEqual({ p: 3.375, q: 0.5 });
  });

  it('gives category shares that add up to one', () => {
    const affinity = categoryAffinity(fold(EVENTS), 21 * DAY);
    expect(affinity.toys).toBeCloseTo(3.375 / 3.875, 12); // 0.870968
    expect(affinity.books).toBeCloseTo(0.5 / 3.875, 12);
  });

  it('does not depend on arrival order', () => {
    const forward = interactionScores(fold(EVENTS), 30 * DAY);
    const backward = interactionScores(fold([...EVENTS].reverse()), 30 * DAY);
    expect(backward.p).toBeCloseTo(forward.p!, 12);
    expect(backward.p).toBeCloseTo(6.75 * Math.pow(2, -16 / 7), 12);
  });

  it('takes configurable weights and half-life', () => {
    const s = fold(EVENTS, { weights: { view: 2, purchase: 10 }, halfLifeMs: 14 * DAY });
    // p at day 14: 2·2^-1 + 0 (cart weighs nothing) + 10 = 11
    expect(interactionScores(s, 14 * DAY, { weights: {}, halfLifeMs: 14 * DAY })).toEqual({ p: 11, q: 2 });
    expect(applyInteraction(undefined, e('x', null, 'view', 0)).categories).toEqual({});
  });
});

describe('merging feature states (a visitor handed over to a customer)', () => {
  it('gives the scores of one state that saw every interaction, whichever state is newer', () => {
    const visitor = fold([EVENTS[0]!, EVENTS[3]!]);
    const customer = fold([EVENTS[1]!, EVENTS[2]!, EVENTS[4]!]);
    const all = fold(EVENTS);
    for (const m of [mergeFeatures(customer, visitor), mergeFeatures(visitor, customer)]) {
      const scores = interactionScores(m, 21 * DAY);
      // p: 1 · 2^-3 + 3 · 2^-2 + 5 · 2^-1 = 3.375; q: 1 · 2^-1 = 0.5
      expect(scores.p).toBeCloseTo(3.375, 12);
      expect(scores.q).toBeCloseTo(0.5, 12);
      expect(scores).toEqual(Object.fromEntries(Object.entries(interactionScores(all, 21 * DAY)).map(([k, v]) => [k, expect.closeTo(v, 12)])));
      expect(categoryAffinity(m, 21 * DAY).toys).toBeCloseTo(3.375 / 3.875, 12);
    }
  });
});
