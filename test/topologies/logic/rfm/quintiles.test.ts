import { describe, expect, it } from 'vitest';
import { quantileBins } from '../../../../topologies/logic/rfm/quintiles.ts';

const big = (xs: number[]) => xs.map(BigInt);

describe('quantileBins (pandas qcut, 5 bins, linear interpolation)', () => {
  it('puts 1..10 two to a bin, as qcut(range(1, 11), 5) does', () => {
    // edges 1, 2.8, 4.6, 6.4, 8.2, 10
    expect(quantileBins(big([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quantileBins(big([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]))).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('puts a value equal to an edge into the lower bin (right-closed bins)', () => {
    // n = 6: h = 1, 2, 3, 4 → edges are exactly the values 2, 3, 4, 5
    expect(quantileBins(big([1, 2, 3, 4, 5, 6]))).toEqual([1, 1, 2, 3, 4, 5]);
  });

  it('keeps ties together, each on the lowest bin whose upper edge it reaches', () => {
    // sorted [1,1,1,1,1,1,2,3,4,5]: edges 1, 1, 1.4, 3.2 → 1 → bin 1, 2 → bin 4, 3 → 4, 4 and 5 → 5
    expect(quantileBins(big([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]))).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
  });

  it('handles one and zero values', () => {
    expect(quantileBins([7n])).toEqual([1]);
    expect(quantileBins([])).toEqual([]);
  });
});
