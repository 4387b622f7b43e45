import { compare, formatDecimal, type Decimal } from '../money/decimal.ts';

/**
 * Cross-layer reconciliation, checked continuously per window:
 * - counts: every bronze record is in exactly one bucket, bronze = silver + duplicates + DLQ + late;
 * - revenue: the silver revenue of a window equals the gold revenue of the same window
 *   (exactly, as decimals).
 * A failed check is an alert with both sides in its message.
 */
export interface LayerCounts {
  readonly bronze: number;
  readonly silver: number;
  readonly duplicates: number;
  readonly dlq: number;
  readonly late: number;
}

export interface ReconciliationAlert {
  readonly check: 'counts' | 'revenue';
  readonly window: number;
  readonly message: string;
}

export function reconcileCounts(window: number, c: LayerCounts): ReconciliationAlert | null {
  const accounted = c.silver + c.duplicates + c.dlq + c.late;
  if (accounted === c.bronze) return null;
  return { check: 'counts', window, message: `bronze ${c.bronze} != silver ${c.silver} + duplicates ${c.duplicates} + dlq ${c.dlq} + late ${c.late} (= ${accounted})` };
}

export function reconcileRevenue(window: number, silver: Decimal, gold: Decimal): ReconciliationAlert | null {
  if (compare(silver, gold) === 0) return null;
  return { check: 'revenue', window, message: `silver revenue ${formatDecimal(silver)} != gold revenue ${formatDecimal(gold)}` };
}
