import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeyList } from '../../../../runtime/state/internal/sorted-key-list.ts';

describe('SortedKeyList', () => {
  it('matches a sorted array through inserts, removes and slices, across chunk splits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 2999 })), { minLength: 500, maxLength: 6000 }),
        fc.integer({ min: 0, max: 2999 }),
        fc.integer({ min: 0, max: 2999 }),
        (ops, a, b) => {
          const list = new SortedKeyList();
          const model = new Set<string>();
          const key = (n: number) => `k${String(n).padStart(4, '0')}`;
          for (const [add, n] of ops) {
            if (add && !model.has(key(n))) {
              list.insert(key(n));
              model.add(key(n));
            } else if (!add) expect(list.remove(key(n))).toBe(model.delete(key(n)));
          }
          const sorted = [...model].sort();
          expect(list.slice()).toEqual(sorted);
          const [from, to] = [key(Math.min(a, b)), key(Math.max(a, b))];
          expect(list.slice(from, to)).toEqual(sorted.filter((k) => k >= from && k <= to));
          expect(list.slice(from)).toEqual(sorted.filter((k) => k >= from));
          expect(list.slice(undefined, to)).toEqual(sorted.filter((k) => k <= to));
        },
      ),
      { numRuns: 30 },
    );
  });
});
