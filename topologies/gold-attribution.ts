import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { attributeOrder, type Touch } from './logic/attribution/attribute-order.ts';
import { ATTRIBUTION_MODELS, type AttributionModel } from './logic/attribution/attribution-model.ts';
import { UNATTRIBUTED } from './logic/gold/attribution-totals.ts';
import { orderRevenue } from './logic/gold/order-revenue.ts';
import { clickstreamUserOf, type ClickStreamEvent, type InputEvent, type OrderEvent } from './logic/silver/input-event.ts';
import { ALLOWED_LATENESS_MS } from './logic/silver/lateness.ts';
import { addCents, formatCents, fromCents, toCents, type Cents } from './money-json.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Gold campaign attribution: revenue credited per model × channel × campaign, under the five
 * models of logic/attribution with the configured lookback (7 days) and half-life. Orders
 * and campaign clicks meet per clickstream user (a click's userId, an order's
 * `clickstreamUserOf`: its userId, else its customer id); per user, a store keeps the recent campaign touches and orders (credits are recomputed
 * from them, never stored, which keeps the state small); an order is attributed when it arrives, and a touch that arrives later (out of
 * order) re-attributes the orders in its lookback: the old credits are retracted and the new
 * ones added, so the totals are corrected. Orders more than 48 h behind the task's greatest
 * event time can no longer change and are forgotten, and touches too old for any open order.
 * The changes are summed per total in a store and sent every `attributionFlushMs`.
 *
 * Input: the silver gate's accepted events in the gate's order (one task), not the silver
 * topic. The silver topic is keyed by customer for orders and by user for clicks; when an
 * order's userId is not its customer id, its clicks and the order sit in different silver
 * partitions and would reach the attributor in any interleaving, so the task's clock could
 * forget an order or a touch that a record still on its way needs. Repartitioned straight
 * from the gate, each user's orders and touches arrive in the gate's order, and the task's
 * clock never runs ahead of the gate's stream time.
 */
export interface AttributionRow {
  readonly model: AttributionModel;
  readonly channel: string;
  readonly campaign: string;
  readonly revenue: string;
}

interface Part {
  readonly model: AttributionModel;
  readonly channel: string;
  readonly campaign: string;
  readonly cents: Cents;
}

/** The change of one total: credited cents and number of credits (given minus retracted). */
interface Delta {
  readonly model: AttributionModel;
  readonly channel: string;
  readonly campaign: string;
  readonly cents: Cents;
  readonly count: number;
}

/** An open order. Its credits are not stored: they follow from the touches, so they are recomputed. */
interface OrderState {
  readonly eventId: string;
  readonly time: number;
  readonly cents: Cents;
}

interface CustomerState {
  readonly touches: Touch[];
  readonly orders: OrderState[];
}

export const ATTRIBUTION_STORES = { customers: 'gold-attribution-customers', clock: 'gold-attribution-clock', pending: 'gold-attribution-pending', totals: 'gold-attribution-totals' } as const;

class AttributionProcessor implements Processor<string, InputEvent, string, Delta> {
  private context!: ProcessorContext<string, Delta>;
  private customers!: KeyValueStore<string, CustomerState>;
  private clock!: KeyValueStore<string, number>;
  private pending!: KeyValueStore<string, Delta>;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, Delta>): void {
    this.context = context;
    this.customers = context.getStateStore(ATTRIBUTION_STORES.customers);
    this.clock = context.getStateStore(ATTRIBUTION_STORES.clock);
    this.pending = context.getStateStore(ATTRIBUTION_STORES.pending);
    context.schedule(this.config.attributionFlushMs, 'WALL_CLOCK_TIME', (now) => this.flush(now));
  }

  process(record: StreamRecord<string, InputEvent>): void {
    const e = record.value;
    const maxTime = Math.max(this.clock.get('max') ?? e.time, e.time);
    this.clock.put('max', maxTime);
    const state = this.customers.get(record.key) ?? { touches: [], orders: [] };
    // Retracted and new credits of every order this record touches, as one net change per total.
    const net = new Map<string, Delta>();
    const emit = (before: readonly Part[], after: readonly Part[]) => {
      for (const [parts, sign] of [[before, -1n], [after, 1n]] as const) {
        for (const p of parts) {
          const key = JSON.stringify([p.model, p.channel, p.campaign]);
          const d = net.get(key) ?? { model: p.model, channel: p.channel, campaign: p.campaign, cents: '0', count: 0 };
          net.set(key, { ...d, cents: (BigInt(d.cents) + sign * BigInt(p.cents)).toString(), count: d.count + Number(sign) });
        }
      }
    };
    let { touches, orders } = state;
    if (e.type === 'order') {
      const order = e as OrderEvent;
      const cents = toCents(orderRevenue(order, this.config.rates));
      const parts = this.attribute(order.time, cents, touches);
      emit([], parts);
      orders = [...orders, { eventId: order.eventId, time: order.time, cents }];
    } else {
      const click = e as ClickStreamEvent;
      const touch: Touch = { touchId: click.eventId, time: click.time, channel: click.channel, campaign: click.campaign! };
      const before = touches;
      touches = [...touches, touch];
      for (const o of orders) {
        if (o.time < touch.time || o.time - touch.time > this.config.lookbackMs) continue;
        emit(this.attribute(o.time, o.cents, before), this.attribute(o.time, o.cents, touches));
      }
    }
    for (const [key, d] of net) {
      const p = this.pending.get(key);
      this.pending.put(key, p === undefined ? d : { ...d, cents: addCents(p.cents, d.cents), count: p.count + d.count });
    }
    const openFrom = maxTime - ALLOWED_LATENESS_MS;
    orders = orders.filter((o) => o.time >= openFrom);
    touches = touches.filter((t) => t.time >= openFrom - this.config.lookbackMs);
    if (orders.length === 0 && touches.length === 0) this.customers.delete(record.key);
    else this.customers.put(record.key, { touches, orders });
  }

  /**
   * Sends the pending changes, one per total, and clears them. Summing them in a logged
   * store first keeps the output small (a touch can re-attribute many orders) and is
   * exactly-once like any other store write.
   */
  private async flush(now: number): Promise<void> {
    const due: [string, Delta][] = [];
    for await (const { key, value } of this.pending.all()) due.push([key, value]);
    for (const [key, d] of due) {
      this.pending.delete(key);
      if (d.count !== 0 || d.cents !== '0') this.context.forward({ key, value: d, timestamp: now, headers: {} });
    }
  }

  private attribute(time: number, cents: Cents, touches: readonly Touch[]): Part[] {
    const revenue = fromCents(cents);
    return ATTRIBUTION_MODELS.flatMap((model) => {
      const credits = attributeOrder(model, revenue, time, touches, { lookbackMs: this.config.lookbackMs, halfLifeMs: this.config.halfLifeMs });
      if (credits.length === 0) return [{ model, channel: UNATTRIBUTED, campaign: UNATTRIBUTED, cents }];
      return credits.map((c) => ({ model, channel: c.touch.channel, campaign: c.touch.campaign, cents: toCents(c.credit) }));
    });
  }
}

interface Total {
  readonly part: Part | null;
  readonly cents: Cents;
  /** Credits given minus retracted: 0 means the row no longer exists. */
  readonly count: number;
}

export function buildGoldAttribution(builder: StreamsBuilder, accepted: KStream<string | null, InputEvent>, config: PipelineConfig): void {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ATTRIBUTION_STORES.customers), Serdes.String(), Serdes.Json<CustomerState>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ATTRIBUTION_STORES.clock), Serdes.String(), Serdes.Json<number>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ATTRIBUTION_STORES.pending), Serdes.String(), Serdes.Json<Delta>()));
  accepted
    .filter((_k, e) => e.type === 'order' || (e.type === 'click' && e.campaign !== null))
    .selectKey((_k, e) => (e.type === 'order' ? clickstreamUserOf(e) : (e as ClickStreamEvent).userId))
    .repartition({ name: 'attribution-by-customer', keySerde: Serdes.String(), valueSerde: Serdes.Json<InputEvent>() })
    .process(() => new AttributionProcessor(config), { named: 'gold-attributor', stores: [ATTRIBUTION_STORES.customers, ATTRIBUTION_STORES.clock, ATTRIBUTION_STORES.pending] })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<Delta>(), name: 'gold-attribution' })
    .aggregate<Total>(
      () => ({ part: null, cents: '0', count: 0 }),
      (_k, d, acc) => ({ part: { model: d.model, channel: d.channel, campaign: d.campaign, cents: '0' }, cents: addCents(acc.cents, d.cents), count: acc.count + d.count }),
      { store: ATTRIBUTION_STORES.totals, keySerde: Serdes.String(), valueSerde: Serdes.Json<Total>() },
    )
    .toStream()
    .mapValues((t): AttributionRow | null => (t.count === 0 || t.part === null ? null : { model: t.part.model, channel: t.part.channel, campaign: t.part.campaign, revenue: formatCents(t.cents) }))
    .to(config.topics.attribution, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.attribution() });
}
