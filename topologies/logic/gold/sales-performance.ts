import { add, divide, formatDecimal, zero, type Decimal } from '../money/decimal.ts';
import type { CategorySlice } from './order-revenue.ts';

/**
 * Sales performance per window × category × channel × country: revenue (base currency),
 * orders (orders with at least one line in the category), units and AOV = revenue / orders
 * rounded half-even to the cent. Orders only: cancellations do not enter sales performance
 * (they reduce RFM monetary).
 */
export interface SalesAggregate {
  readonly revenue: Decimal;
  readonly orders: number;
  readonly units: number;
}

export const emptySales = (): SalesAggregate => ({ revenue: zero(2), orders: 0, units: 0 });

export function addSlice(acc: SalesAggregate, slice: CategorySlice): SalesAggregate {
  return { revenue: add(acc.revenue, slice.revenue), orders: acc.orders + 1, units: acc.units + slice.units };
}

export interface SalesFigures {
  readonly revenue: string;
  readonly orders: number;
  readonly units: number;
  readonly aov: string;
}

export function salesFigures(acc: SalesAggregate): SalesFigures {
  const aov = acc.orders === 0 ? zero(2) : divide(acc.revenue, { units: BigInt(acc.orders), scale: 0 }, 2);
  return { revenue: formatDecimal(acc.revenue), orders: acc.orders, units: acc.units, aov: formatDecimal(aov) };
}

export const salesKey = (windowStartMs: number, category: string, channel: string, country: string): string => JSON.stringify([windowStartMs, category, channel, country]);
