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

  it('insertSorted merges a sorted batch of new keys in, as one insert per key would', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 99_999 }), { minLength: 0, maxLength: 5000 }), fc.integer({ min: 0, max: 100 }), (numbers, percentFirst) => {
        const keys = numbers.map((n) => `k${String(n).padStart(5, '0')}`);
        const cut = Math.floor((keys.length * percentFirst) / 100);
        const list = new SortedKeyList();
        for (const k of keys.slice(0, cut)) list.insert(k);
        list.insertSorted(keys.slice(cut).sort());
        const sorted = [...keys].sort();
        expect(list.slice()).toEqual(sorted);
        // Still a working list afterwards: removes and inserts keep the order.
        for (const k of keys.slice(0, keys.length >> 1)) expect(list.remove(k)).toBe(true);
        list.insert('k00000x');
        expect(list.slice()).toEqual([...keys.slice(keys.length >> 1), 'k00000x'].sort());
      }),
      { numRuns: 30 },
    );
  });
});
