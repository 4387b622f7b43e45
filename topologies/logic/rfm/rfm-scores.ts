import { rescale, type Decimal } from '../money/decimal.ts';
import { quantileBins } from './quintiles.ts';
import { DEFAULT_SEGMENT_MAP, segmentOf, type SegmentMap } from './segment-map.ts';

/**
 * Scores a customer population. Rules (also in topologies/logic/README.md):
 * - The population is every customer with at least one purchase.
 * - Recency = whole days from the last purchase to the reference time, rounded down
 *   (⌊Δms / 86 400 000⌋, like pandas' `Timedelta.days`).
 * - R = 6 − quintile bin of recency (fewer days, higher score); equal recencies share a score.
 * - F = quintile bin of the frequency *rank*: customers sorted by frequency ascending, ties
 *   broken by customer id ascending (numerically when both ids are all digits), ranked
 *   1..n (pandas `rank(method="first")` over a frame sorted by customer id). So F bins
 *   have equal sizes (±1) even though most customers have one or two orders.
 * - M = quintile bin of monetary (equal amounts share a score); it does not enter the segment.
 * - Segment = the R × F segment map (data, `topologies/rfm-segments.json`).
 * Quintile bins are pandas `qcut(…, 5)` with linear interpolation: see quintiles.ts.
 */
export interface RfmInput {
  readonly customerId: string;
  readonly lastPurchase: number;
  readonly frequency: number;
  readonly monetary: Decimal;
}

export interface RfmScore extends RfmInput {
  readonly recencyDays: number;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly segment: string;
}

const DAY_MS = 86_400_000;
const DIGITS = /^\d+$/;

export function compareCustomerIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function scoreRfm(population: readonly RfmInput[], referenceTime: number, map: SegmentMap = DEFAULT_SEGMENT_MAP): RfmScore[] {
  const customers = [...population].sort((a, b) => compareCustomerIds(a.customerId, b.customerId));
  const recencyDays = customers.map((c) => Math.floor((referenceTime - c.lastPurchase) / DAY_MS));
  const recencyBins = quantileBins(recencyDays.map(BigInt));
  const byFrequency = customers.map((c, index) => ({ index, frequency: c.frequency })).sort((a, b) => a.frequency - b.frequency || a.index - b.index);
  const ranks = new Array<bigint>(customers.length);
  byFrequency.forEach((entry, position) => (ranks[entry.index] = BigInt(position + 1)));
  const frequencyBins = quantileBins(ranks);
  const scale = customers.reduce((max, c) => Math.max(max, c.monetary.scale), 0);
  const monetaryBins = quantileBins(customers.map((c) => rescale(c.monetary, scale).units));
  return customers.map((c, i) => {
    const r = 6 - recencyBins[i]!;
    const f = frequencyBins[i]!;
    return { ...c, recencyDays: recencyDays[i]!, r, f, m: monetaryBins[i]!, segment: segmentOf(map, r, f) };
  });
}
