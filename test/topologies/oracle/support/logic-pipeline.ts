import { attributeOrder, type Touch } from '../../../../topologies/logic/attribution/attribute-order.ts';
import { ATTRIBUTION_MODELS } from '../../../../topologies/logic/attribution/attribution-model.ts';
import { addOrderCredits, attributionRows, type AttributionTotals } from '../../../../topologies/logic/gold/attribution-totals.ts';
import { addRevenue, addSession, addSpend, channelFigures, emptyChannel, type ChannelAggregate } from '../../../../topologies/logic/gold/channel-performance.ts';
import { categorySlices, orderRevenue } from '../../../../topologies/logic/gold/order-revenue.ts';
import { addSlice, emptySales, salesFigures, salesKey, type SalesAggregate } from '../../../../topologies/logic/gold/sales-performance.ts';
import { WINDOW_SIZES, windowStart, type WindowName } from '../../../../topologies/logic/gold/windows.ts';
import { toBase, type RatesTable } from '../../../../topologies/logic/money/currency.ts';
import { decimal, formatDecimal } from '../../../../topologies/logic/money/decimal.ts';
import { IncrementalRfm } from '../../../../topologies/logic/rfm/incremental-rfm.ts';
import { sessionize } from '../../../../topologies/logic/sessions/session.ts';
import { clickstreamUserOf, type InputEvent, type OrderEvent } from '../../../../topologies/logic/silver/input-event.ts';
import { SilverGate } from '../../../../topologies/logic/silver/silver-gate.ts';

/**
 * Runs the pure logic modules the way the topologies will (one event at a time through the
 * silver gate, then per-key aggregates), standing in for the runtime until it exists. The
 * rows have the oracle's shapes, so the two can be compared with toEqual.
 */
export function runLogicPipeline(input: readonly unknown[], rates: RatesTable, rfmReferenceTime: number, lookbackMs?: number) {
  const gate = new SilverGate(rates);
  const accepted: InputEvent[] = [];
  for (const raw of input) {
    const result = gate.admit(raw);
    if (result.admission === 'accepted') accepted.push(result.event!);
  }
  const orders = accepted.filter((e): e is OrderEvent => e.type === 'order');

  const sales = new Map<string, { window: WindowName; acc: SalesAggregate }>();
  for (const order of orders) {
    for (const slice of categorySlices(order, rates)) {
      for (const window of Object.keys(WINDOW_SIZES) as WindowName[]) {
        const key = `${window}:${salesKey(windowStart(order.time, WINDOW_SIZES[window]), slice.category, order.channel, order.country)}`;
        sales.set(key, { window, acc: addSlice(sales.get(key)?.acc ?? emptySales(), slice) });
      }
    }
  }
  const salesRows = [...sales].map(([key, { window, acc }]) => {
    const [windowStartMs, category, channel, country] = JSON.parse(key.slice(key.indexOf(':') + 1)) as [number, string, string, string];
    return { window, windowStart: windowStartMs, category, channel, country, ...salesFigures(acc) };
  });

  const channels = new Map<string, ChannelAggregate>();
  const update = (time: number, channel: string, f: (a: ChannelAggregate) => ChannelAggregate) => {
    const key = JSON.stringify([windowStart(time, WINDOW_SIZES['1d']), channel]);
    channels.set(key, f(channels.get(key) ?? emptyChannel()));
  };
  const clicks = accepted.flatMap((e) => (e.type === 'click' ? [e] : []));
  for (const s of sessionize(clicks)) update(s.start, s.channel, (a) => addSession(a, s.converted));
  for (const o of orders) update(o.time, o.channel, (a) => addRevenue(a, orderRevenue(o, rates)));
  for (const e of accepted) if (e.type === 'spend') update(e.time, e.channel, (a) => addSpend(a, toBase(decimal(e.amount), e.currency, rates)));
  const channelRows = [...channels].map(([key, acc]) => {
    const [day, channel] = JSON.parse(key) as [number, string];
    return { day, channel, ...channelFigures(acc) };
  });

  const totals: AttributionTotals = new Map();
  const touchesByUser = new Map<string, Touch[]>();
  for (const c of clicks) {
    if (c.campaign !== null) touchesByUser.set(c.userId, [...(touchesByUser.get(c.userId) ?? []), { touchId: c.eventId, time: c.time, channel: c.channel, campaign: c.campaign }]);
  }
  for (const o of orders) {
    const mine = touchesByUser.get(clickstreamUserOf(o)) ?? [];
    for (const model of ATTRIBUTION_MODELS) addOrderCredits(totals, model, orderRevenue(o, rates), attributeOrder(model, orderRevenue(o, rates), o.time, mine, { lookbackMs }));
  }

  const rfm = new IncrementalRfm();
  for (const e of accepted) {
    if (e.type === 'order') rfm.apply({ kind: 'purchase', customerId: e.customerId, orderId: e.orderId, time: e.time, amount: orderRevenue(e, rates) });
    if (e.type === 'cancellation') rfm.apply({ kind: 'cancellation', customerId: e.customerId, orderId: e.orderId, time: e.time, amount: toBase(decimal(e.amount), e.currency, rates) });
  }
  const rfmRows = rfm.scores(rfmReferenceTime).map((s) => ({ customerId: s.customerId, recencyDays: s.recencyDays, frequency: s.frequency, monetary: formatDecimal(s.monetary), r: s.r, f: s.f, m: s.m, segment: s.segment }));

  return { counts: { ...gate.counts }, sales: salesRows, channels: channelRows, attribution: attributionRows(totals), rfm: rfmRows };
}
