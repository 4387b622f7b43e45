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
 * `clickstreamUserOf`: its userId, else its customer id). Two ordered stores hold them, one
 * small entry per touch and per order, keyed `user NUL time NUL id` (time as fixed-width hex,
 * so byte order is time order within a user): an order reads only its user's touches in
 * [order − lookback, order] by a range scan; a touch reads its user's orders in
 * [touch, touch + lookback] (none when it arrives in order) and, if there are any, the touches
 * those orders see. Credits are recomputed from the touches, never stored: an order is
 * attributed when it arrives, and a touch that arrives later (out of order) re-attributes the
 * orders in its lookback: the old credits are retracted and the new ones added, so the totals
 * are corrected. The changes are summed per total in a store and sent every `attributionFlushMs`.
 *
 * Retention (event time; stream time = the greatest event time this task has seen, which
 * never runs ahead of the gate's, see Input): the gate drops events more than 48 h behind its
 * stream time, so
 * - an order older than stream time − 48 h can no longer be corrected (a touch that could
 *   precede it would be late): it is deleted;
 * - a touch older than stream time − 48 h − lookback can never be credited (every order that
 *   could see it is older than stream time − 48 h): it is deleted.
 * Both are deleted for the record's user after each record, and for every user by a sweep
 * each `ATTRIBUTION_SWEEP_MS` (1 h) of stream time, so the state holds 48 h of orders and
 * 48 h + lookback of touches, whatever the length of the run, and idle users leave none.
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

/** Credits of one order (or their change) to one total: cents and number of credits. */
interface Credits {
  readonly model: AttributionModel;
  readonly channel: string;
  readonly campaign: string;
  readonly cents: bigint;
  readonly count: number;
}

/** An open order. Its credits are not stored: they follow from the touches, so they are recomputed. */
interface OrderState {
  readonly eventId: string;
  readonly time: number;
  readonly cents: Cents;
}

export const ATTRIBUTION_STORES = { touches: 'gold-attribution-touches', orders: 'gold-attribution-orders', clock: 'gold-attribution-clock', pending: 'gold-attribution-pending', totals: 'gold-attribution-totals' } as const;

/** Every this much stream time (event time), expired touches and orders of every user are deleted. */
export const ATTRIBUTION_SWEEP_MS = 3_600_000;

const SEP = '\u0000';
const TIME_OFFSET = 2n ** 53n;
/** Event time as 14 hex digits, offset so that every safe integer (negatives too) sorts in time order. */
const timeText = (time: number): string => (BigInt(time) + TIME_OFFSET).toString(16).padStart(14, '0');
/** The store key of a touch or order: user, time, id. */
export const attributionKey = (user: string, time: number, id: string): string => user + SEP + timeText(time) + SEP + id;
/** First and last key of a user's entries with times in [from, to]. */
const timeRange = (user: string, from: number, to: number): [string, string] => [user + SEP + timeText(from), user + SEP + timeText(to) + '\u0001'];

class AttributionProcessor implements Processor<string, InputEvent, string, Delta> {
  private context!: ProcessorContext<string, Delta>;
  private touches!: KeyValueStore<string, Touch>;
  private orders!: KeyValueStore<string, OrderState>;
  private clock!: KeyValueStore<string, number>;
  private pending!: KeyValueStore<string, Delta>;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, Delta>): void {
    this.context = context;
    this.touches = context.getStateStore(ATTRIBUTION_STORES.touches);
    this.orders = context.getStateStore(ATTRIBUTION_STORES.orders);
    this.clock = context.getStateStore(ATTRIBUTION_STORES.clock);
    this.pending = context.getStateStore(ATTRIBUTION_STORES.pending);
    context.schedule(this.config.attributionFlushMs, 'WALL_CLOCK_TIME', (now) => this.flush(now));
  }

  async process(record: StreamRecord<string, InputEvent>): Promise<void> {
    const e = record.value;
    const user = record.key;
    const maxTime = Math.max(this.clock.get('max') ?? e.time, e.time);
    this.clock.put('max', maxTime);
    const { lookbackMs } = this.config;
    // Retracted and new credits of every order this record touches, as one net change per total.
    const net = new Map<string, Credits>();
    const emit = (before: ReadonlyMap<string, Credits>, after: ReadonlyMap<string, Credits>) => {
      for (const [credits, sign] of [[before, -1], [after, 1]] as const) {
        for (const [key, c] of credits) {
          const d = net.get(key);
          if (d === undefined) net.set(key, { ...c, cents: sign < 0 ? -c.cents : c.cents, count: sign * c.count });
          else net.set(key, { ...d, cents: sign < 0 ? d.cents - c.cents : d.cents + c.cents, count: d.count + sign * c.count });
        }
      }
    };
    const none = new Map<string, Credits>();
    if (e.type === 'order') {
      const order = e as OrderEvent;
      const cents = toCents(orderRevenue(order, this.config.rates));
      emit(none, this.attribute(order.time, cents, await this.scan(this.touches, user, order.time - lookbackMs, order.time)));
      this.orders.put(attributionKey(user, order.time, order.eventId), { eventId: order.eventId, time: order.time, cents });
    } else {
      const click = e as ClickStreamEvent;
      const touch: Touch = { touchId: click.eventId, time: click.time, channel: click.channel, campaign: click.campaign! };
      // The open orders this touch can precede, and the touches they see (one scan for all).
      const affected = await this.scan(this.orders, user, touch.time, touch.time + lookbackMs);
      if (affected.length > 0) {
        const before = await this.scan(this.touches, user, affected[0]!.time - lookbackMs, affected[affected.length - 1]!.time);
        const after = [...before, touch];
        for (const o of affected) emit(this.attribute(o.time, o.cents, before), this.attribute(o.time, o.cents, after));
      }
      this.touches.put(attributionKey(user, touch.time, touch.touchId), touch);
    }
    for (const n of net.values()) {
      const key = JSON.stringify([n.model, n.channel, n.campaign]);
      const p = this.pending.get(key);
      const d: Delta = { model: n.model, channel: n.channel, campaign: n.campaign, cents: p === undefined ? n.cents.toString() : (BigInt(p.cents) + n.cents).toString(), count: (p?.count ?? 0) + n.count };
      this.pending.put(key, d);
    }
    const swept = this.clock.get('swept');
    if (swept === undefined) this.clock.put('swept', maxTime);
    else if (maxTime - swept >= ATTRIBUTION_SWEEP_MS) {
      this.clock.put('swept', maxTime);
      await this.expire(maxTime);
    }
  }

  /** The entries of `user` with times in [from, to], in time order (then id). */
  private async scan<V>(store: KeyValueStore<string, V>, user: string, from: number, to: number): Promise<V[]> {
    const [first, last] = timeRange(user, from, to);
    const out: V[] = [];
    for await (const { value } of store.range(first, last)) out.push(value);
    return out;
  }

  /**
   * The sweep: deletes every user's orders older than stream time − 48 h and touches older
   * than stream time − 48 h − lookback (one pass over each store, once per ATTRIBUTION_SWEEP_MS).
   */
  private async expire(streamTime: number): Promise<void> {
    const openFrom = streamTime - ALLOWED_LATENESS_MS;
    for (const [store, before] of [[this.orders, openFrom], [this.touches, openFrom - this.config.lookbackMs]] as const) {
      const stale: string[] = [];
      for await (const { key, value } of (store as KeyValueStore<string, { time: number }>).all()) if (value.time < before) stale.push(key);
      for (const key of stale) store.delete(key);
    }
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

  /** An order's credits under every model, summed per model × channel × campaign (count: credits summed). */
  private attribute(time: number, cents: Cents, touches: readonly Touch[]): Map<string, Credits> {
    const revenue = fromCents(cents);
    const out = new Map<string, Credits>();
    const add = (model: AttributionModel, channel: string, campaign: string, units: bigint) => {
      const key = model + SEP + channel + SEP + campaign;
      const c = out.get(key);
      out.set(key, c === undefined ? { model, channel, campaign, cents: units, count: 1 } : { ...c, cents: c.cents + units, count: c.count + 1 });
    };
    for (const model of ATTRIBUTION_MODELS) {
      const credits = attributeOrder(model, revenue, time, touches, { lookbackMs: this.config.lookbackMs, halfLifeMs: this.config.halfLifeMs });
      if (credits.length === 0) add(model, UNATTRIBUTED, UNATTRIBUTED, revenue.units);
      for (const c of credits) add(model, c.touch.channel, c.touch.campaign, c.credit.scale === 2 ? c.credit.units : BigInt(toCents(c.credit)));
    }
    return out;
  }
}

interface Total {
  readonly part: Part | null;
  readonly cents: Cents;
  /** Credits given minus retracted: 0 means the row no longer exists. */
  readonly count: number;
}

export function buildGoldAttribution(builder: StreamsBuilder, accepted: KStream<string | null, InputEvent>, config: PipelineConfig): void {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ATTRIBUTION_STORES.touches), Serdes.String(), Serdes.Json<Touch>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ATTRIBUTION_STORES.orders), Serdes.String(), Serdes.Json<OrderState>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ATTRIBUTION_STORES.clock), Serdes.String(), Serdes.Json<number>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ATTRIBUTION_STORES.pending), Serdes.String(), Serdes.Json<Delta>()));
  accepted
    .filter((_k, e) => e.type === 'order' || (e.type === 'click' && e.campaign !== null))
    .selectKey((_k, e) => (e.type === 'order' ? clickstreamUserOf(e) : (e as ClickStreamEvent).userId))
    .repartition({ name: 'attribution-by-customer', keySerde: Serdes.String(), valueSerde: Serdes.Json<InputEvent>() })
    .process(() => new AttributionProcessor(config), { named: 'gold-attributor', stores: [ATTRIBUTION_STORES.touches, ATTRIBUTION_STORES.orders, ATTRIBUTION_STORES.clock, ATTRIBUTION_STORES.pending] })
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
