import { rescale, type Decimal } from './decimal.ts';

/**
 * Splits `total` into parts proportional to `weights`, in whole minor units of the
 * total's scale, so that the parts add up to the total exactly.
 *
 * Largest-remainder method (Hamilton): every part first gets the floor of its exact share
 * `|total| × w / Σw`; the minor units still missing go, one each, to the parts with the
 * largest remainders, ties to the earlier part. A negative total is split as its absolute
 * value and every part negated. Weights are non-negative integers (scale fractional
 * weights to integers first, see `allocateByRatios`); a zero weight gets exactly zero.
 */
export function allocate(total: Decimal, weights: readonly bigint[]): Decimal[] {
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weights.some((w) => w < 0n)) throw new RangeError('weights must not be negative');
  const sumOfWeights = weights.reduce((a, b) => a + b, 0n);
  if (sumOfWeights === 0n) throw new RangeError('weights must not all be zero');
  const sign = total.units < 0n ? -1n : 1n;
  const amount = total.units * sign;
  const parts = weights.map((w) => (amount * w) / sumOfWeights);
  const remainders = weights.map((w, index) => ({ index, remainder: (amount * w) % sumOfWeights }));
  let missing = amount - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (missing === 0n) break;
    parts[index] = parts[index]! + 1n;
    missing -= 1n;
  }
  return parts.map((units) => ({ units: units * sign, scale: total.scale }));
}

/** `allocate` with decimal weights: they are brought to one scale and used as integers. */
export function allocateByRatios(total: Decimal, ratios: readonly Decimal[]): Decimal[] {
  const scale = Math.max(0, ...ratios.map((r) => r.scale));
  return allocate(
    total,
    ratios.map((r) => rescale(r, scale).units),
  );
}
