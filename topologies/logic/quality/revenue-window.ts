import { add, decimal, formatDecimal, subtract, zero, type Decimal } from '../money/decimal.ts';

/**
 * The revenue reconciliation of one event-time window: silver = the revenue of the
 * accepted orders whose time is in the window (each order's revenue as the gold layer
 * defines it, gold/order-revenue.ts); gold = the sum, over the window's sales-performance
 * rows, of each row's latest revenue. The gold rows are an update stream (the latest per
 * key is current), so an update replaces the row's previous revenue: the window's gold
 * total changes by the difference. Money is kept as exact decimal text (JSON state).
 */
export interface RevenueWindow {
  /** Silver revenue, exact decimal text. */
  readonly silver: string;
  /** Gold revenue (sum of the latest row values), exact decimal text. */
  readonly gold: string;
}

export const emptyRevenueWindow = (): RevenueWindow => ({ silver: formatDecimal(zero(2)), gold: formatDecimal(zero(2)) });

export function addSilverOrder(w: RevenueWindow, revenue: Decimal): RevenueWindow {
  return { ...w, silver: formatDecimal(add(decimal(w.silver), revenue)) };
}

/** A gold row went from `previous` to `next` revenue (null: the row was absent / deleted). */
export function replaceGoldRow(w: RevenueWindow, previous: Decimal | null, next: Decimal | null): RevenueWindow {
  const gold = add(subtract(decimal(w.gold), previous ?? zero(2)), next ?? zero(2));
  return { ...w, gold: formatDecimal(gold) };
}

/**
 * True once neither side can change a window any more: an order is accepted while it is
 * at most `allowedLatenessMs` behind stream time, so after both sides' event time (the
 * greatest seen on each) has passed the window's end + the lateness + `marginMs` (room for
 * skew between partitions), no order or gold update of the window is expected.
 */
export function revenueWindowRetired(windowEnd: number, silverTime: number, goldTime: number, allowedLatenessMs: number, marginMs: number): boolean {
  return Math.min(silverTime, goldTime) >= windowEnd + allowedLatenessMs + marginMs;
}
