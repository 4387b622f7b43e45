/**
 * An exponentially decayed sum: Σ wᵢ · 2^(−(t − tᵢ)/half-life), kept as (value, asOf) so it
 * can be updated one event at a time and read at any later time. An event older than
 * `asOf` (out of order) is decayed to `asOf` before it is added, so the result does not
 * depend on arrival order (up to float rounding: these are ML features, not money).
 */
export interface DecayedScore {
  readonly value: number;
  readonly asOf: number;
}

export const decayFactor = (elapsedMs: number, halfLifeMs: number): number => Math.pow(2, -elapsedMs / halfLifeMs);

export function addDecayed(score: DecayedScore | undefined, weight: number, time: number, halfLifeMs: number): DecayedScore {
  if (score === undefined) return { value: weight, asOf: time };
  if (time >= score.asOf) return { value: score.value * decayFactor(time - score.asOf, halfLifeMs) + weight, asOf: time };
  return { value: score.value + weight * decayFactor(score.asOf - time, halfLifeMs), asOf: score.asOf };
}

/** The score decayed to `time` (which must not be before `asOf`; earlier reads get asOf's value). */
export function decayedValueAt(score: DecayedScore, time: number, halfLifeMs: number): number {
  return time <= score.asOf ? score.value : score.value * decayFactor(time - score.asOf, halfLifeMs);
}

/** Two decayed sums as one (the sum of both event sets), as of the later `asOf`. */
export function mergeDecayed(a: DecayedScore | undefined, b: DecayedScore, halfLifeMs: number): DecayedScore {
  if (a === undefined) return b;
  const asOf = Math.max(a.asOf, b.asOf);
  return { value: decayedValueAt(a, asOf, halfLifeMs) + decayedValueAt(b, asOf, halfLifeMs), asOf };
}
