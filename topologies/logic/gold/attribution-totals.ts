import type { Credit } from '../attribution/attribute-order.ts';
import type { AttributionModel } from '../attribution/attribution-model.ts';
import { add, formatDecimal, zero, type Decimal } from '../money/decimal.ts';

/**
 * Campaign attribution totals: per model × channel × campaign, the revenue credited to
 * touches of that channel and campaign. Touches are clickstream events with a campaign, of
 * the order's clickstream user (click userId = the order's userId, else its customerId:
 * `clickstreamUserOf` in silver/input-event.ts). An order without touches in
 * its lookback is credited to channel and campaign `(none)` (unattributed), so each
 * model's totals add up to the total order revenue.
 */
export const UNATTRIBUTED = '(none)';

export type AttributionTotals = Map<string, Decimal>;

export const attributionKey = (model: AttributionModel, channel: string, campaign: string): string => JSON.stringify([model, channel, campaign]);

export function addOrderCredits(totals: AttributionTotals, model: AttributionModel, revenue: Decimal, credits: readonly Credit[]): void {
  const parts = credits.length === 0 ? [{ channel: UNATTRIBUTED, campaign: UNATTRIBUTED, amount: revenue }] : credits.map((c) => ({ channel: c.touch.channel, campaign: c.touch.campaign, amount: c.credit }));
  for (const p of parts) {
    const key = attributionKey(model, p.channel, p.campaign);
    totals.set(key, add(totals.get(key) ?? zero(2), p.amount));
  }
}

export interface AttributionRow {
  readonly model: AttributionModel;
  readonly channel: string;
  readonly campaign: string;
  readonly revenue: string;
}

export function attributionRows(totals: AttributionTotals): AttributionRow[] {
  return [...totals].map(([key, amount]) => {
    const [model, channel, campaign] = JSON.parse(key) as [AttributionModel, string, string];
    return { model, channel, campaign, revenue: formatDecimal(amount) };
  });
}
