import { add, decimal, divide, formatDecimal, zero, type Decimal } from '../money/decimal.ts';

/**
 * Marketing channel performance per day × channel:
 * - sessions: sessions that start that day on that channel; conversions: those that convert;
 * - conversion rate = conversions / sessions (4 decimals, half-even; null without sessions);
 * - revenue: base-currency revenue of the orders placed that day through that channel;
 * - spend: campaign spend booked that day on that channel;
 * - ROAS = revenue / spend (4 decimals; null without spend);
 * - CAC = spend / conversions (2 decimals; null without conversions).
 */
export interface ChannelAggregate {
  readonly sessions: number;
  readonly conversions: number;
  readonly revenue: Decimal;
  readonly spend: Decimal;
}

export const emptyChannel = (): ChannelAggregate => ({ sessions: 0, conversions: 0, revenue: zero(2), spend: zero(2) });

export const addSession = (a: ChannelAggregate, converted: boolean): ChannelAggregate => ({ ...a, sessions: a.sessions + 1, conversions: a.conversions + (converted ? 1 : 0) });
export const addRevenue = (a: ChannelAggregate, revenue: Decimal): ChannelAggregate => ({ ...a, revenue: add(a.revenue, revenue) });
export const addSpend = (a: ChannelAggregate, spend: Decimal): ChannelAggregate => ({ ...a, spend: add(a.spend, spend) });

export interface ChannelFigures {
  readonly sessions: number;
  readonly conversions: number;
  readonly conversionRate: string | null;
  readonly revenue: string;
  readonly spend: string;
  readonly roas: string | null;
  readonly cac: string | null;
}

const count = (n: number): Decimal => decimal(String(n));

export function channelFigures(a: ChannelAggregate): ChannelFigures {
  return {
    sessions: a.sessions,
    conversions: a.conversions,
    conversionRate: a.sessions === 0 ? null : formatDecimal(divide(count(a.conversions), count(a.sessions), 4)),
    revenue: formatDecimal(a.revenue),
    spend: formatDecimal(a.spend),
    roas: a.spend.units === 0n ? null : formatDecimal(divide(a.revenue, a.spend, 4)),
    cac: a.conversions === 0 ? null : formatDecimal(divide(a.spend, count(a.conversions), 2)),
  };
}
