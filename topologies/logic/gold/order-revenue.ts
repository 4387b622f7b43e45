import { toBase, type RatesTable } from '../money/currency.ts';
import { add, decimal, multiplyInt, zero, type Decimal } from '../money/decimal.ts';
import type { OrderEvent } from '../silver/input-event.ts';

/**
 * Revenue of an order in the base currency. Each line is quantity × unit price in the
 * order's currency, converted and rounded half-even to the cent on its own; an order's
 * revenue is the sum of its lines, and a category's share of an order is the sum of that
 * category's lines, so the parts always add up to the whole.
 */
export interface CategorySlice {
  readonly category: string;
  readonly revenue: Decimal;
  readonly units: number;
}

export function lineRevenue(quantity: number, unitPrice: string, currency: string, rates: RatesTable): Decimal {
  return toBase(multiplyInt(decimal(unitPrice), quantity), currency, rates);
}

export function categorySlices(order: OrderEvent, rates: RatesTable): CategorySlice[] {
  const slices = new Map<string, { revenue: Decimal; units: number }>();
  for (const line of order.lines) {
    const s = slices.get(line.category) ?? { revenue: zero(2), units: 0 };
    slices.set(line.category, { revenue: add(s.revenue, lineRevenue(line.quantity, line.unitPrice, order.currency, rates)), units: s.units + line.quantity });
  }
  return [...slices].map(([category, s]) => ({ category, ...s }));
}

export function orderRevenue(order: OrderEvent, rates: RatesTable): Decimal {
  return categorySlices(order, rates).reduce((a, s) => add(a, s.revenue), zero(2));
}
