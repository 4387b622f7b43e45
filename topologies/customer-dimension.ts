import {
  ConfigError,
  CORRECTION_HEADER,
  Serdes,
  Stores,
  type GlobalKTable,
  type Headers,
  type KeyValueStore,
  type KStream,
  type Processor,
  type ProcessorContext,
  type StreamRecord,
  type StreamsBuilder,
} from '../runtime/index.ts';
import { versionsOf, type CustomerChange, type CustomerHistory, type CustomerVersion } from './logic/scd2/customer-dimension.ts';
import { customerChangeProblem } from './logic/scd2/change-validation.ts';
import { applyCustomerChange } from './logic/scd2/dimension-changes.ts';
import { joinCustomer, keptOrderKey, keptOrderRange, rejoin, withinHorizon, type JoinedCustomer, type KeptOrder } from './logic/scd2/order-rejoin.ts';
import type { InputEvent, OrderEvent } from './logic/silver/input-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import { enrichOrderLines, type CatalogProduct, type EnrichedOrderLine } from './silver-enrich.ts';
import { RejectedRecordError } from './rejected-record.ts';

/**
 * The customer dimension, SCD type 2, and the temporal join of orders to it. Customer
 * changes (`customerChanges`, keyed by customer id, co-partitioned with the silver events,
 * whose orders are keyed by customer id too) update a per-customer history (logic/scd2):
 * out-of-order and back-dated changes land in place and re-close their neighbours, an
 * identical update makes no version, replays change nothing. Changed versions are upserted
 * to the compacted dimension topic by surrogate key; versions merged away by a back-dated
 * change are deleted (null). A malformed change (logic/scd2/change-validation.ts) throws
 * RejectedRecordError: the medallion application dead-letters it with the reason and goes on.
 *
 * Each accepted order is joined to the version valid at its event time
 * (effective_from ≤ t < effective_to) and to the product catalog per line (see
 * silver-enrich.ts), and published to `ordersEnriched` by order id with `revision` 0 (an
 * order id seen again while kept continues its revisions, so the latest record stays last).
 * Orders within `rejoinHorizonMs` (48 h) of the orders' stream time are kept with the
 * version they were joined to (logic/scd2/order-rejoin.ts); a change that alters the
 * version valid at a kept order's time re-publishes it with the new version, `revision`
 * + 1 and the header `streamhouse.correction: true` (the latest record per order id is
 * current). The catalog fields are those of the first join: corrections change the
 * customer only. Orders older than the horizon are forgotten and never re-joined.
 *
 * Kept orders expire on access (a change of their customer) and in a sweep of the whole
 * store each quarter of the horizon of order time, so the store holds at most 1¼ horizons
 * of orders. Order time drives the sweep, not a STREAM_TIME punctuator: the task's stream
 * time is the record timestamp (produce time), which a backfill of old orders hardly moves.
 */
export interface EnrichedOrder {
  readonly order: PublishedOrder;
  /** The customer version valid at the order's time, or null when none was known. */
  readonly customer: JoinedCustomer | null;
  /** 0 when first joined; +1 each time a customer change re-joined the order. */
  readonly revision: number;
}

export type PublishedOrder = OrderEvent & { readonly lines: readonly EnrichedOrderLine[] };

type Input = { readonly change: CustomerChange } | { readonly order: OrderEvent };
type Output = { readonly kind: 'version'; readonly version: CustomerVersion | null } | { readonly kind: 'order'; readonly enriched: EnrichedOrder };

export const DIMENSION_STORES = { histories: 'silver-customer-dimension', orders: 'silver-customer-dimension-orders', clock: 'silver-customer-dimension-clock' } as const;
/** The store of the customer histories (its name predates the other two). */
export const DIMENSION_STORE = DIMENSION_STORES.histories;
const STREAM_TIME = 'order-stream-time';

class DimensionProcessor implements Processor<string, Input, string, Output> {
  private context!: ProcessorContext<string, Output>;
  private histories!: KeyValueStore<string, CustomerHistory>;
  private orders!: KeyValueStore<string, KeptOrder<PublishedOrder>>;
  private clock!: KeyValueStore<string, number>;
  private catalog!: KeyValueStore<string, CatalogProduct>;
  private nextSweep: number | undefined;

  constructor(
    private readonly config: PipelineConfig,
    private readonly catalogStore: string,
  ) {}

  init(context: ProcessorContext<string, Output>): void {
    this.context = context;
    this.histories = context.getStateStore(DIMENSION_STORES.histories);
    this.orders = context.getStateStore(DIMENSION_STORES.orders);
    this.clock = context.getStateStore(DIMENSION_STORES.clock);
    this.catalog = context.getStateStore(this.catalogStore);
  }

  process(record: StreamRecord<string, Input>): void | Promise<void> {
    return 'change' in record.value ? this.onChange(record.value.change, record) : this.onOrder(record.value.order, record);
  }

  private onChange(change: CustomerChange, record: StreamRecord<string, Input>): void | Promise<void> {
    const problem = customerChangeProblem(record.key, change);
    if (problem !== undefined) throw new RejectedRecordError(`customer change rejected: ${problem}`);
    const history = this.histories.get(change.customerId);
    const update = applyCustomerChange(history, change, this.config.scd2Tracked);
    if (update.history === history) return;
    this.histories.put(change.customerId, update.history);
    const forward = (key: string, version: CustomerVersion | null) => this.context.forward({ key, value: { kind: 'version', version }, timestamp: record.timestamp, headers: record.headers });
    for (const v of update.upserts) forward(v.surrogateKey, v);
    for (const k of update.deletes) forward(k, null);
    if (update.upserts.length > 0 || update.deletes.length > 0) return this.rejoinOrders(change.customerId, update.versions, record.headers);
  }

  /** Re-publishes the kept orders of the customer whose version changed; forgets expired ones. */
  private async rejoinOrders(customerId: string, versions: readonly CustomerVersion[], headers: Headers): Promise<void> {
    const streamTime = this.clock.get(STREAM_TIME) ?? Number.NEGATIVE_INFINITY;
    const { from, to } = keptOrderRange(customerId);
    const expired: string[] = [];
    const corrected: [string, KeptOrder<PublishedOrder>][] = [];
    for await (const { key, value } of this.orders.range(from, to)) {
      if (!withinHorizon(value.orderTime, streamTime, this.config.rejoinHorizonMs)) expired.push(key);
      else {
        const next = rejoin(value, versions);
        if (next !== undefined) corrected.push([key, next]);
      }
    }
    for (const key of expired) this.orders.delete(key);
    for (const [key, kept] of corrected) {
      this.orders.put(key, kept);
      this.publish(kept, { ...headers, [CORRECTION_HEADER]: 'true' });
    }
  }

  private onOrder(order: OrderEvent, record: StreamRecord<string, Input>): void | Promise<void> {
    const streamTime = this.advanceStreamTime(order.time);
    const history = this.histories.get(order.customerId);
    const key = keptOrderKey(order.customerId, order.orderId);
    const kept: KeptOrder<PublishedOrder> = {
      order: { ...order, lines: enrichOrderLines(order.lines, (id) => this.catalog.get(id) ?? null) },
      orderTime: order.time,
      timestamp: record.timestamp,
      revision: (this.orders.get(key)?.revision ?? -1) + 1,
      customer: joinCustomer(history === undefined ? [] : versionsOf(history), order.time),
    };
    if (withinHorizon(order.time, streamTime, this.config.rejoinHorizonMs)) this.orders.put(key, kept);
    this.publish(kept, record.headers);
    return this.sweepIfDue(streamTime);
  }

  private publish(kept: KeptOrder<PublishedOrder>, headers: Headers): void {
    const enriched: EnrichedOrder = { order: kept.order, customer: kept.customer, revision: kept.revision };
    this.context.forward({ key: kept.order.orderId, value: { kind: 'order', enriched }, timestamp: kept.timestamp, headers });
  }

  private advanceStreamTime(time: number): number {
    const previous = this.clock.get(STREAM_TIME);
    if (previous !== undefined && previous >= time) return previous;
    this.clock.put(STREAM_TIME, time);
    return time;
  }

  private sweepIfDue(streamTime: number): Promise<void> | undefined {
    const every = Math.max(60_000, Math.floor(this.config.rejoinHorizonMs / 4));
    if (this.nextSweep !== undefined && streamTime < this.nextSweep) return undefined;
    const first = this.nextSweep === undefined;
    this.nextSweep = streamTime + every;
    return first ? undefined : this.sweep(streamTime);
  }

  private async sweep(streamTime: number): Promise<void> {
    const expired: string[] = [];
    for await (const { key, value } of this.orders.all()) if (!withinHorizon(value.orderTime, streamTime, this.config.rejoinHorizonMs)) expired.push(key);
    for (const key of expired) this.orders.delete(key);
  }
}

export function buildCustomerDimension(builder: StreamsBuilder, silver: KStream<string, InputEvent>, catalog: GlobalKTable<string, CatalogProduct>, config: PipelineConfig): void {
  const { topics, rejoinHorizonMs } = config;
  if (!Number.isSafeInteger(rejoinHorizonMs) || rejoinHorizonMs < 0) throw new ConfigError(`rejoinHorizonMs must be a whole number of milliseconds >= 0, got ${String(rejoinHorizonMs)}`);
  const persistent = <V>(name: string) => Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Json<V>());
  builder.addStateStore(persistent<CustomerHistory>(DIMENSION_STORES.histories));
  builder.addStateStore(persistent<KeptOrder<PublishedOrder>>(DIMENSION_STORES.orders));
  // The clock is written by almost every order: the cache logs it once per commit.
  builder.addStateStore(persistent<number>(DIMENSION_STORES.clock).withCachingEnabled());
  const changes = builder.stream(topics.customerChanges, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CustomerChange>() }).mapValues((change): Input => ({ change }));
  const orders = silver.filter((_k, e) => e.type === 'order').mapValues((e): Input => ({ order: e as OrderEvent }));
  const out = changes.merge(orders).process(() => new DimensionProcessor(config, catalog.storeName), { named: 'silver-customer-dimension', stores: Object.values(DIMENSION_STORES) });
  out
    .filter((_k, o) => o.kind === 'version')
    .mapValues((o) => (o.kind === 'version' ? o.version : null))
    .to(topics.customerDimension, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CustomerVersion | null>() });
  out
    .filter((_k, o) => o.kind === 'order')
    .mapValues((o) => (o.kind === 'order' ? o.enriched : null))
    .to(topics.ordersEnriched, { keySerde: Serdes.String(), valueSerde: Serdes.Json<EnrichedOrder | null>() });
}
