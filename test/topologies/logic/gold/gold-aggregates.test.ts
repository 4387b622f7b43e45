import { describe, expect, it } from 'vitest';
import { addRevenue, addSession, addSpend, channelFigures, emptyChannel } from '../../../../topologies/logic/gold/channel-performance.ts';
import { categorySlices, orderRevenue } from '../../../../topologies/logic/gold/order-revenue.ts';
import { addSlice, emptySales, salesFigures } from '../../../../topologies/logic/gold/sales-performance.ts';
import { windowStart } from '../../../../topologies/logic/gold/windows.ts';
import { decimal, formatDecimal } from '../../../../topologies/logic/money/decimal.ts';
import type { OrderEvent } from '../../../../topologies/logic/silver/input-event.ts';

const RATES = { base: 'EUR', rates: { USD: '0.9137' } };
const order = (lines: [string, number, string][], currency = 'USD'): OrderEvent => ({ type: 'order', eventId: 'e', time: 0, orderId: 'o', customerId: 'u', channel: 'web', country: 'DE', currency, lines: lines.map(([category, quantity, unitPrice], i) => ({ productId: `p${i}`, category, quantity, unitPrice })) });

describe('gold aggregates', () => {
  it('aligns tumbling windows to the epoch, also before 1970', () => {
    expect(windowStart(Date.UTC(2024, 0, 1, 10, 59, 59, 999), 3_600_000)).toBe(Date.UTC(2024, 0, 1, 10));
    expect(windowStart(-1, 60_000)).toBe(-60_000);
  });

  it('converts each line and rounds it half-even to the cent, so categories add up to the order', () => {
    // 3 × 1.05 USD = 3.15 × 0.9137 = 2.878155 → 2.88; 1 × 10.00 USD = 9.137 → 9.14; toys 2 × 0.55 = 1.10 → 1.00507 → 1.01
    const o = order([['books', 3, '1.05'], ['books', 1, '10.00'], ['toys', 2, '0.55']]);
    expect(categorySlices(o, RATES).map((s) => [s.category, formatDecimal(s.revenue), s.units])).toEqual([['books', '12.02', 4], ['toys', '1.01', 2]]);
    expect(formatDecimal(orderRevenue(o, RATES))).toBe('13.03');
  });

  it('computes AOV half-even to the cent', () => {
    const acc = [decimal('10.00'), decimal('10.00'), decimal('0.01')].reduce((a, revenue) => addSlice(a, { category: 'toys', revenue, units: 1 }), emptySales());
    expect(salesFigures(acc)).toEqual({ revenue: '20.01', orders: 3, units: 3, aov: '6.67' });
    expect(salesFigures(emptySales()).aov).toBe('0.00');
  });

  it('computes conversion rate, ROAS and CAC, null without a divisor', () => {
    let a = emptyChannel();
    for (const converted of [true, false, false]) a = addSession(a, converted);
    a = addSpend(addRevenue(a, decimal('100.00')), decimal('30.00'));
    expect(channelFigures(a)).toEqual({ sessions: 3, conversions: 1, conversionRate: '0.3333', revenue: '100.00', spend: '30.00', roas: '3.3333', cac: '30.00' });
    expect(channelFigures(emptyChannel())).toEqual({ sessions: 0, conversions: 0, conversionRate: null, revenue: '0.00', spend: '0.00', roas: null, cac: null });
  });
});
