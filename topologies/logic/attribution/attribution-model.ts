/**
 * Multi-touch attribution models, as integer weights over the touches of one order in
 * time order (earliest first). Integer weights keep the split exact: the money itself is
 * split by largest remainder (money/allocate.ts), so credits always add up to the order.
 *
 * - `first-touch`: all credit to the earliest touch; `last-touch`: to the latest.
 * - `linear`: equal credit to every touch.
 * - `position-based` (40/20/40): 40 % to the first touch, 40 % to the last, the remaining
 *   20 % split equally among the touches in between; with two touches 50/50, with one 100 %.
 * - `time-decay`: weight 2^(−Δt / half-life), Δt = order time − touch time, half-life 7 days
 *   by default. The weight is a double (V8's pow) quantized to 10^-15, so logic and oracle
 *   agree to the unit.
 */
export type AttributionModel = 'first-touch' | 'last-touch' | 'linear' | 'time-decay' | 'position-based';

export const ATTRIBUTION_MODELS: readonly AttributionModel[] = ['first-touch', 'last-touch', 'linear', 'time-decay', 'position-based'];

export const DAY_MS = 86_400_000;
export const DEFAULT_HALF_LIFE_MS = 7 * DAY_MS;
const DECAY_SCALE = 1e15;

export function modelWeights(model: AttributionModel, touchTimes: readonly number[], orderTime: number, halfLifeMs = DEFAULT_HALF_LIFE_MS): bigint[] {
  const n = touchTimes.length;
  switch (model) {
    case 'first-touch':
      return touchTimes.map((_, i) => (i === 0 ? 1n : 0n));
    case 'last-touch':
      return touchTimes.map((_, i) => (i === n - 1 ? 1n : 0n));
    case 'linear':
      return touchTimes.map(() => 1n);
    case 'position-based': {
      if (n <= 2) return touchTimes.map(() => 1n);
      const end = BigInt(2 * (n - 2)); // 2(n-2) : 1 per middle touch : 2(n-2) = 40 : 20 : 40
      return touchTimes.map((_, i) => (i === 0 || i === n - 1 ? end : 1n));
    }
    case 'time-decay':
      return touchTimes.map((t) => BigInt(Math.round(Math.pow(2, -(orderTime - t) / halfLifeMs) * DECAY_SCALE)));
  }
}
