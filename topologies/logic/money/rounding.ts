/**
 * Integer division with an explicit rounding mode, on bigint.
 *
 * `half-even` (banker's rounding) is the default everywhere money is rounded: a tie goes to
 * the even neighbour, so rounding many amounts has no upward bias. `half-up` rounds a tie
 * away from zero (the schoolbook rule), `down` truncates toward zero, `floor` toward -∞.
 */
export type RoundingMode = 'half-even' | 'half-up' | 'down' | 'floor';

export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode = 'half-even'): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divRound(-numerator, -denominator, mode);
  const q = numerator / denominator; // truncates toward zero
  const r = numerator % denominator; // same sign as numerator
  if (r === 0n) return q;
  const sign = numerator < 0n ? -1n : 1n;
  switch (mode) {
    case 'down':
      return q;
    case 'floor':
      return sign < 0n ? q - 1n : q;
    case 'half-up':
    case 'half-even': {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice > denominator) return q + sign;
      if (twice < denominator) return q;
      if (mode === 'half-up') return q + sign;
      return q % 2n === 0n ? q : q + sign;
    }
  }
}

export const pow10 = (n: number): bigint => 10n ** BigInt(n);
