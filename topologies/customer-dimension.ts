import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import type { CustomerChange, CustomerHistory, CustomerVersion } from './logic/scd2/customer-dimension.ts';
import { applyCustomerChange, versionAsOf } from './logic/scd2/dimension-changes.ts';
import { versionsOf } from './logic/scd2/customer-dimension.ts';
import type { InputEvent, OrderEvent } from './logic/silver/input-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * The customer dimension, SCD type 2, and the temporal join of orders to it. Customer
 * changes (`customerChanges`, keyed by customer id, co-partitioned with the silver events,
 * whose orders are keyed by customer id too) update a per-customer history in a store
 * (logic/scd2): out-of-order and back-dated changes land in place and re-close their
 * neighbours, an identical update makes no version, replays change nothing. Changed
 * versions are upserted to the compacted dimension topic by surrogate key; versions that
 * disappear (merged by a back-dated change) are deleted (null). Each accepted order is
 * joined to the version valid at its event time (effective_from ≤ t < effective_to) and
 * published enriched; a change that arrives after an order does not re-join it.
 */
export interface EnrichedOrder {
  readonly order: OrderEvent;
  /** The customer version valid at the order's time, or null when none was known. */
  readonly customer: Pick<CustomerVersion, 'surrogateKey' | 'version' | 'attributes'> | null;
}

type Input = { readonly change: CustomerChange } | { readonly order: OrderEvent };
type Output = { readonly kind: 'version'; readonly key: string; readonly version: CustomerVersion | null } | { readonly kind: 'order'; readonly enriched: EnrichedOrder };

export const DIMENSION_STORE = 'silver-customer-dimension';

class DimensionProcessor implements Processor<string, Input, string, Output> {
  private context!: ProcessorContext<string, Output>;
  private histories!: KeyValueStore<string, CustomerHistory>;

  constructor(private readonly tracked: readonly string[]) {}

  init(context: ProcessorContext<string, Output>): void {
    this.context = context;
    this.histories = context.getStateStore(DIMENSION_STORE);
  }

  process(record: StreamRecord<string, Input>): void {
    const forward = (key: string, value: Output) => this.context.forward({ key, value, timestamp: record.timestamp, headers: record.headers });
    if ('change' in record.value) {
      const change = record.value.change;
      const update = applyCustomerChange(this.histories.get(change.customerId), change, this.tracked);
      this.histories.put(change.customerId, update.history);
      for (const v of update.upserts) forward(v.surrogateKey, { kind: 'version', key: v.surrogateKey, version: v });
      for (const k of update.deletes) forward(k, { kind: 'version', key: k, version: null });
      return;
    }
    const order = record.value.order;
    const history = this.histories.get(order.customerId);
    const version = history === undefined ? undefined : versionAsOf(versionsOf(history), order.time);
    const customer = version === undefined ? null : { surrogateKey: version.surrogateKey, version: version.version, attributes: version.attributes };
    forward(order.orderId, { kind: 'order', enriched: { order, customer } });
  }
}

export function buildCustomerDimension(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  const { topics } = config;
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIMENSION_STORE), Serdes.String(), Serdes.Json<CustomerHistory>()));
  const changes = builder.stream(topics.customerChanges, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CustomerChange>() }).mapValues((change): Input => ({ change }));
  const orders = silver.filter((_k, e) => e.type === 'order').mapValues((e): Input => ({ order: e as OrderEvent }));
  const out = changes.merge(orders).process(() => new DimensionProcessor(config.scd2Tracked), { named: 'silver-customer-dimension', stores: [DIMENSION_STORE] });
  out
    .filter((_k, o) => o.kind === 'version')
    .mapValues((o) => (o.kind === 'version' ? o.version : null))
    .to(topics.customerDimension, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CustomerVersion | null>() });
  out
    .filter((_k, o) => o.kind === 'order')
    .mapValues((o) => (o.kind === 'order' ? o.enriched : null))
    .to(topics.ordersEnriched, { keySerde: Serdes.String(), valueSerde: Serdes.Json<EnrichedOrder | null>() });
}
