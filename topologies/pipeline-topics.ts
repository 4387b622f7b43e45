/**
 * The topics of the medallion pipeline on the event contract of topologies/logic (orders,
 * cancellations, clicks and spend as JSON objects, see logic/silver/input-event.ts). Bronze
 * and silver values are JSON (UTF-8); each entry names the TypeScript type that is its
 * contract. Gold values are Confluent Avro (magic byte 0, schema id, Avro body) with the
 * schema named in the entry, registered as `<topic>-value`; the row type it maps from is
 * named too (topologies/gold-contract.ts; JSON rows when the pipeline is configured with
 * the JSON gold serdes, as the test-driver tests are). Keys are UTF-8 text.
 * `pipelineTopics(prefix)` gives every name with a prefix (tests and parallel runs use
 * their own); the platform uses the empty prefix.
 */
export interface PipelineTopicSpec {
  readonly name: string;
  readonly key: string;
  /** The contract of the value: a type exported by the named module (JSON), or the Avro schema in schemas/ (gold). */
  readonly value: string;
  /** 'event', 'update' (latest per key wins; null deletes) or 'final'. */
  readonly semantics: string;
  readonly partitions: number;
  readonly compacted: boolean;
}

const spec = (name: string, key: string, value: string, semantics: string, partitions: number, compacted = false): PipelineTopicSpec => ({ name, key, value, semantics, partitions, compacted });

export const PIPELINE_TOPICS = {
  bridgeDlq: spec('bronze.bridge.dlq', 'the bronze key as read', 'the original bytes (Confluent Avro or not)', 'event: Avro bronze records the bronze bridge could not decode or map; original headers plus streamhouse.error.* (class DECODE_ERROR, NO_CONTRACT or MAPPING_ERROR; message: the reason)', 1),
  bronzeEvents: spec('bronze.events.raw', 'event id (any text; the topic has one partition so arrival order is total)', 'unknown JSON (validated by silver)', 'event: raw input events as produced, with lineage headers; may be malformed, late, duplicated, out of order', 1),
  silverEvents: spec('silver.events', 'customer id (orders, cancellations), user id (clicks), campaign (spend)', 'InputEvent (logic/silver/input-event.ts)', 'event: accepted events, validated, deduplicated (48 h), on time', 6),
  dlq: spec('silver.events.dlq', 'input key', 'DlqRecord (topologies/silver-gate.ts)', 'event: malformed input with the reason and lineage headers', 1),
  late: spec('silver.events.late', 'input key', 'InputEvent', 'event: events more than 48 h behind stream time', 1),
  duplicates: spec('silver.events.duplicates', 'event id', 'InputEvent', 'event: repeats of a kept event id within 48 h (counted, not processed)', 1),
  customerChanges: spec('bronze.customers.changes', 'customer id', 'CustomerChange (logic/scd2/customer-dimension.ts)', 'event: customer profile changes with their effective time (possibly back-dated, out of order, repeated)', 6),
  customerDimension: spec('silver.customer-dimension', 'surrogate key', 'CustomerVersion (logic/scd2/customer-dimension.ts)', 'update: SCD2 versions by surrogate key (effective_from/to half-open, is_current); null deletes a version merged away', 6, true),
  ordersEnriched: spec(
    'silver.orders.enriched',
    'order id',
    'EnrichedOrder (topologies/customer-dimension.ts)',
    'update: accepted orders with the customer version valid at the order time and, per line, the catalog name and category (null when unknown; as of processing, never updated by later catalog changes); the latest per order id is current: a back-dated customer change re-joins the orders of the last 48 h of order time (revision + 1, header streamhouse.correction), older orders are not re-joined',
    6,
    true,
  ),
  products: spec('bronze.products', 'product id', 'CatalogProduct (topologies/silver-enrich.ts)', 'update: the product catalog, the latest record per product is current; read as a global table (every instance holds all of it)', 6, true),
  clicksEnriched: spec('silver.clicks.enriched', 'user id', 'EnrichedClick (topologies/silver-enrich.ts)', 'event: accepted clicks on a product joined with the catalog (name, category; null when unknown)', 6),
  sessions: spec('silver.sessions', 'user|sessionStart', 'Session (logic/sessions/session.ts)', 'update: a session as it grows; null when merged into another', 6, true),
  salesPerformance: spec('gold.sales-performance', 'JSON [window, windowStart, category, channel, country]', 'Avro streamhouse.gold.SalesPerformance (schemas/gold-sales-performance.avsc) of SalesRow (topologies/gold-sales.ts)', 'update/correction: the latest per key is current; final 48 h after the window end', 6, true),
  channelPerformance: spec('gold.channel-performance', 'JSON [day, channel]', 'Avro streamhouse.gold.ChannelPerformance (schemas/gold-channel-performance.avsc) of ChannelRow (topologies/gold-channels.ts)', 'update/correction: latest per key; final 48 h after the day ends; null deletes', 6, true),
  attribution: spec('gold.attribution', 'JSON [model, channel, campaign]', 'Avro streamhouse.gold.AttributionTotal (schemas/gold-attribution.avsc) of AttributionRow (topologies/gold-attribution.ts)', 'update/correction: running totals per model, channel and campaign; a late touch corrects earlier orders; null deletes', 6, true),
  rfm: spec('gold.rfm', 'customer id', 'Avro streamhouse.gold.CustomerRfm (schemas/gold-rfm.avsc) of RfmRow (topologies/gold-rfm.ts)', 'update: the latest per customer is current (scores are relative to the whole population)', 1, true),
  features: spec('gold.customer-features', 'customer id', 'Avro streamhouse.gold.CustomerFeatures (schemas/gold-customer-features.avsc) of CustomerFeatureRecord (logic/features/feature-record.ts)', 'update: the latest per customer is current; also served over HTTP', 6, true),
  dqScores: spec('gold.dq-scores', 'JSON [layer, windowStart]', 'Avro streamhouse.gold.DqScore (schemas/gold-dq-score.avsc) of DqRow (topologies/quality-scores.ts)', 'update: the latest per layer and window is current', 1, true),
  reconciliation: spec('gold.reconciliation', 'windowStart', 'Avro streamhouse.gold.Reconciliation (schemas/gold-reconciliation.avsc) of ReconciliationRow (topologies/quality-reconciliation.ts)', 'update: counts per ingest minute: bronze = silver + duplicates + DLQ + late', 1, true),
  revenueReconciliation: spec('gold.reconciliation.revenue', 'windowStart (1-minute event-time window)', 'Avro streamhouse.gold.RevenueReconciliation (schemas/gold-revenue-reconciliation.avsc) of RevenueReconciliationRow (topologies/quality-revenue-reconciliation.ts)', 'update: silver revenue = gold revenue per 1-minute event-time window, once the window is quiet; republished after each later change', 1, true),
  alerts: spec('gold.alerts', 'alert id', 'Avro streamhouse.gold.Alert (schemas/gold-alert.avsc) of AlertRow (topologies/quality-scores.ts)', 'event: a DQ score under its threshold or a failed reconciliation', 1),
} as const;

export type PipelineTopicKey = keyof typeof PIPELINE_TOPICS;
export type PipelineTopicNames = { readonly [K in PipelineTopicKey]: string };

export function pipelineTopics(prefix = ''): PipelineTopicNames {
  return Object.fromEntries(Object.entries(PIPELINE_TOPICS).map(([k, s]) => [k, prefix + s.name])) as PipelineTopicNames;
}
