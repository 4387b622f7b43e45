import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, allocateByRatios } from '../../../../topologies/logic/money/allocate.ts';
import { decimal, formatDecimal } from '../../../../topologies/logic/money/decimal.ts';

const texts = (parts: { units: bigint; scale: number }[]) => parts.map(formatDecimal);

describe('allocate (largest remainder)', () => {
  it('splits 100.00 three ways as 33.34 / 33.33 / 33.33', () => {
    expect(texts(allocate(decimal('100.00'), [1n, 1n, 1n]))).toEqual(['33.34', '33.33', '33.33']);
  });

  it('gives the missing cent to the largest remainder', () => {
    // 1.00 by 1:2:3 = 0.1666.., 0.3333.., 0.5 → floors 0.16, 0.33, 0.50, one cent to the first.
    expect(texts(allocate(decimal('1.00'), [1n, 2n, 3n]))).toEqual(['0.17', '0.33', '0.50']);
    // equal remainders: the earlier part wins
    expect(texts(allocate(decimal('0.05'), [3n, 7n]))).toEqual(['0.02', '0.03']);
  });

  it('splits negative totals symmetrically and gives zero weights nothing', () => {
    expect(texts(allocate(decimal('-100.00'), [1n, 1n, 1n]))).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(texts(allocate(decimal('10.00'), [0n, 1n]))).toEqual(['0.00', '10.00']);
  });

  it('splits by decimal ratios', () => {
    expect(texts(allocateByRatios(decimal('300.00'), ['0.4', '0.1', '0.1', '0.4'].map(decimal)))).toEqual(['120.00', '30.00', '30.00', '120.00']);
  });

  it('rejects empty, negative and all-zero weights', () => {
    expect(() => allocate(decimal('1'), [])).toThrow('allocate needs at least one weight');
    expect(() => allocate(decimal('1'), [-1n, 2n])).toThrow('weights must not be negative');
    expect(() => allocate(decimal('1'), [0n])).toThrow('weights must not all be zero');
  });

  it('always sums to the total, and no part is more than one unit off its exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 12 }), (units, weights) => {
        fc.pre(weights.some((w) => w > 0n));
        const parts = allocate({ units, scale: 2 }, weights);
        expect(parts.reduce((a, p) => a + p.units, 0n)).toBe(units);
        const total = weights.reduce((a, b) => a + b, 0n);
        parts.forEach((p, i) => {
          const exactTimesTotal = units * weights[i]!; // share × Σw
          const diff = p.units * total - exactTimesTotal;
          expect(diff < 0n ? -diff : diff).toBeLessThan(total);
        });
      }),
    );
  });
});
