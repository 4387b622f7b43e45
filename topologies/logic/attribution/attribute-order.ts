import { allocate } from '../money/allocate.ts';
import { divRound, pow10 } from '../money/rounding.ts';
import type { Decimal } from '../money/decimal.ts';
import { DAY_MS, DEFAULT_HALF_LIFE_MS, modelWeights, type AttributionModel } from './attribution-model.ts';

/**
 * Attributes one order's revenue to the marketing touches of its customer.
 *
 * Touches count when they happened at or before the order and at most `lookbackMs` before
 * it (both ends inclusive; 7 days by default). They are ordered by time, then by touch id.
 * An order without touches gets no credits (it is reported as unattributed).
 *
 * `credit` is the allocated amount (largest remainder to the cent: the credits of an order
 * add up to its revenue exactly); `share` is the exact proportional share to 6 digits,
 * for reporting. The two differ by less than one cent.
 */
export interface Touch {
  readonly touchId: string;
  readonly time: number;
  readonly channel: string;
  readonly campaign: string;
}

export interface AttributionOptions {
  readonly lookbackMs?: number;
  readonly halfLifeMs?: number;
}

export interface Credit {
  readonly touch: Touch;
  readonly credit: Decimal;
  readonly share: Decimal;
}

export const DEFAULT_LOOKBACK_MS = 7 * DAY_MS;

export function touchesInLookback(touches: readonly Touch[], orderTime: number, lookbackMs = DEFAULT_LOOKBACK_MS): Touch[] {
  return touches
    .filter((t) => t.time <= orderTime && orderTime - t.time <= lookbackMs)
    .sort((a, b) => a.time - b.time || (a.touchId < b.touchId ? -1 : a.touchId > b.touchId ? 1 : 0));
}

export function attributeOrder(model: AttributionModel, revenue: Decimal, orderTime: number, touches: readonly Touch[], options: AttributionOptions = {}): Credit[] {
  const eligible = touchesInLookback(touches, orderTime, options.lookbackMs);
  if (eligible.length === 0) return [];
  const weights = modelWeights(
    model,
    eligible.map((t) => t.time),
    orderTime,
    options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS,
  );
  const credits = allocate(revenue, weights);
  const totalWeight = weights.reduce((a, b) => a + b, 0n);
  const shareScale = Math.max(6, revenue.scale);
  return eligible.map((touch, i) => ({
    touch,
    credit: credits[i]!,
    share: { units: divRound(revenue.units * weights[i]! * pow10(shareScale - revenue.scale), totalWeight), scale: shareScale },
  }));
}
