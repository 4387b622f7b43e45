/**
 * Quantile bins with the semantics of pandas `qcut(values, 5)`, computed exactly.
 *
 * Edges: edge k (k = 0..q) is the k/q quantile with linear interpolation (numpy's default):
 * over the values sorted ascending, `h = (n - 1) × k / q`, and the edge lies between the
 * values at positions ⌊h⌋ and ⌊h⌋ + 1, at fraction h − ⌊h⌋. Bins are right-closed,
 * `(edge k-1, edge k]`, the lowest one including its left edge, so a value's bin is
 * `1 + #{ k in 1..q-1 : edge k < value }`.
 *
 * Ties: equal values always share a bin. (pandas refuses duplicate edges; here a value on
 * a repeated edge simply lands in the lowest bin whose upper edge it reaches.) To force
 * equal-size bins, score ranks instead of values; see `rfm-scores.ts`.
 *
 * The arithmetic is on bigint with every edge scaled by q, so no float rounding can move
 * a value across an edge.
 */
export function quantileBins(values: readonly bigint[], q = 5): number[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bigQ = BigInt(q);
  const scaledEdges: bigint[] = [];
  for (let k = 1; k < q; k++) {
    const lo = Math.floor(((n - 1) * k) / q);
    const fraction = BigInt(((n - 1) * k) % q);
    const low = sorted[lo]!;
    const high = sorted[Math.min(lo + 1, n - 1)]!;
    scaledEdges.push(low * bigQ + fraction * (high - low));
  }
  return values.map((v) => 1 + scaledEdges.filter((edge) => edge < v * bigQ).length);
}
