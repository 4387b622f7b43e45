import { AvroSerde, Serdes, Stores, type AvroSchema, type KeyValueStore, type KStream, type SchemaResolver, type Serde, type StreamsBuilder } from '../runtime/index.ts';
import { CampaignSpendSchema, ClickstreamEventSchema, CustomerProfileSchema, ProductSchema, SalesOrderSchema } from '../schemas/generated/index.ts';
import { BronzeBridgeProcessor, type BridgeMapperFactory, type BridgeOutcome, type BridgeOutput } from './bronze-bridge-processor.ts';
import { BronzeDecodingSerde } from './bronze-decoding-serde.ts';
import { mapCampaignSpend, statementKey, type SpendStatement, type WireCampaignSpend } from './logic/bronze/campaign-spend.ts';
import { mapClickstreamEvent, type WireClickstreamEvent } from './logic/bronze/clickstream.ts';
import { mapCustomerProfile, mapProduct, type WireProduct } from './logic/bronze/reference-data.ts';
import { mapSalesOrder, type WireSalesOrder } from './logic/bronze/sales-order.ts';
import type { CustomerProfile } from '../schemas/generated/index.ts';
import type { PipelineTopicNames } from './pipeline-topics.ts';

/**
 * The bronze bridge: the Avro bronze topics that `streamhouse produce` and `streamhouse
 * ingest` write (topologies/topics.ts) into the pipeline's bronze topics:
 *
 *   bronze.sales.raw          SalesOrder      → bronze.events.raw        (orders, cancellations)
 *   bronze.clickstream.raw    ClickstreamEvent → bronze.events.raw        (clicks)
 *   bronze.marketing.campaigns CampaignSpend  → bronze.events.raw        (spend, as deltas)
 *   bronze.customers.profiles CustomerProfile → bronze.customers.changes (SCD2 input)
 *   bronze.catalog.products   Product         → bronze.products          (the catalog)
 *   anything it cannot decode or map          → bronze.bridge.dlq        (original bytes and headers, reason)
 *
 * The mappings are logic/bronze/. Every input record gives exactly one output record, so
 * in = bridged + dead-lettered per topic; `onOutcome` counts them. One subtopology per
 * input topic (their partition counts differ); only spend keeps state (the statement
 * applied per campaign, day and channel), in a store with a changelog.
 */
export interface BronzeBridgeConfig {
  /** The Avro bronze topics to read (names from the catalog, possibly prefixed). */
  readonly sources: { readonly sales: string; readonly clickstream: string; readonly campaigns: string; readonly customers: string; readonly products: string };
  /** The pipeline topics written: bronzeEvents, customerChanges, products, bridgeDlq. */
  readonly topics: PipelineTopicNames;
  /** The schema registry (RegistrySchemaResolver; InMemorySchemaResolver in tests). */
  readonly resolver: SchemaResolver;
  readonly onOutcome?: (topic: string, outcome: BridgeOutcome) => void;
}

export const BRIDGE_SPEND_STORE = 'bronze-bridge-spend';

export function buildBronzeBridge(builder: StreamsBuilder, config: BronzeBridgeConfig): void {
  const { sources } = config;
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BRIDGE_SPEND_STORE), Serdes.String(), Serdes.Json<SpendStatement>()));
  const bridge = <T>(topic: string, schema: object, mapperFor: BridgeMapperFactory<T>, stores: string[] = []): void => {
    const valueSerde = new BronzeDecodingSerde(new AvroSerde<T>({ schema: schema as AvroSchema, resolver: config.resolver }));
    const outputs = builder
      .stream(topic, { keySerde: Serdes.Bytes() as Serde<Buffer | null>, valueSerde })
      .process(() => new BronzeBridgeProcessor<T>(mapperFor, config.onOutcome, (t, failed) => valueSerde.reload(t, failed)), { named: `bronze-bridge-${topic}`, stores });
    route(outputs, config.topics);
  };
  bridge<WireSalesOrder>(sources.sales, SalesOrderSchema, () => (o) => mapSalesOrder(o));
  bridge<WireClickstreamEvent>(sources.clickstream, ClickstreamEventSchema, () => (e) => mapClickstreamEvent(e));
  bridge<CustomerProfile>(sources.customers, CustomerProfileSchema, () => (p, offset) => mapCustomerProfile(p, offset));
  bridge<WireProduct>(sources.products, ProductSchema, () => (p) => mapProduct(p));
  bridge<WireCampaignSpend>(
    sources.campaigns,
    CampaignSpendSchema,
    (context) => {
      const statements: KeyValueStore<string, SpendStatement> = context.getStateStore(BRIDGE_SPEND_STORE);
      return (s) => {
        const { mapping, statement } = mapCampaignSpend(s, statements.get(statementKey(s)));
        if (statement !== undefined) statements.put(statementKey(s), statement);
        return mapping;
      };
    },
    [BRIDGE_SPEND_STORE],
  );
}

/** The sinks of one input's outputs: mapped records as JSON (the pipeline's contract), dead letters as their original bytes. */
function route(outputs: KStream<Buffer | string | null, BridgeOutput>, topics: PipelineTopicNames): void {
  const json = { keySerde: Serdes.String() as Serde<string>, valueSerde: Serdes.Json<object | null>() };
  for (const target of ['events', 'customerChanges', 'products'] as const) {
    const topic = target === 'events' ? topics.bronzeEvents : topics[target];
    outputs
      .filter((_k, o) => o.target === target)
      .map((k, o) => ({ key: k as string, value: (o as { value: object | null }).value }))
      .to(topic, json);
  }
  outputs
    .filter((_k, o) => o.target === 'deadLetter')
    .map((k, o) => ({ key: k as Buffer | null, value: (o as { raw: Buffer | null }).raw }))
    .to(topics.bridgeDlq, { keySerde: Serdes.Bytes() as Serde<Buffer | null>, valueSerde: Serdes.Bytes() as Serde<Buffer | null> });
}
