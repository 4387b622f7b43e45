import { describe, expect, it } from 'vitest';
import { copartitionedCounts } from '../../../../runtime/dsl/internal/copartition.ts';

describe('copartitionedCounts', () => {
  const counts: Record<string, number> = { orders: 2, customers: 5, clicks: 3 };
  const external = (t: string) => counts[t];

  it('sizes a repartition topic read beside external topics as the largest of them', () => {
    const pinned = copartitionedCounts(
      [{ sourceTopics: ['orders'] }, { sourceTopics: ['by-customer-repartition', 'customers'] }, { sourceTopics: ['mixed-repartition', 'orders', 'clicks'] }],
      new Map([['by-customer-repartition', undefined], ['mixed-repartition', undefined]]),
      external,
    );
    expect(pinned).toEqual(new Map([['by-customer-repartition', 5], ['mixed-repartition', 3]]));
  });

  it('leaves fixed counts, topics read without an external topic, and unknown external counts to the other rules', () => {
    const pinned = copartitionedCounts(
      [{ sourceTopics: ['fixed-repartition', 'customers'] }, { sourceTopics: ['a-repartition', 'b-repartition'] }, { sourceTopics: ['c-repartition', 'not-created-yet'] }],
      new Map<string, number | undefined>([['fixed-repartition', 7], ['a-repartition', undefined], ['b-repartition', undefined], ['c-repartition', undefined]]),
      external,
    );
    expect(pinned).toEqual(new Map());
  });

  it('takes the largest external count when two subtopologies read the same repartition topic', () => {
    const pinned = copartitionedCounts(
      [{ sourceTopics: ['r-repartition', 'orders'] }, { sourceTopics: ['r-repartition', 'customers'] }],
      new Map([['r-repartition', undefined]]),
      external,
    );
    expect(pinned.get('r-repartition')).toBe(5);
  });
});
