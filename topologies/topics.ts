/**
 * The topic catalog: every topic's name, key, value schema (schemas/<file>.avsc, whose
 * generated type is in schemas/generated/) and semantics. Topologies, producers and
 * sinks name topics only through this module. The README's "Topic catalog" table
 * summarises it. Extend it here when a topology publishes a new topic.
 */
import type {
  CampaignSpend,
  ClickstreamEvent,
  CustomerProfile,
  DlqEnvelope,
  Product,
  SalesOrder,
} from '../schemas/generated/index.ts';

/** One catalog entry. `V` is the generated value type; it exists only for typing. */
export interface TopicSpec<V = unknown> {
  readonly name: string;
  /** What the key is (as UTF-8 text) and why records of one entity share a partition. */
  readonly key: string;
  /** The .avsc file (without extension) of the value schema, under schemas/. */
  readonly schema: string;
  /** What a record means: an event, an update (latest per key wins) or a final result. */
  readonly semantics: string;
  readonly partitions: number;
  /** Compacted topics keep the latest record per key. */
  readonly compacted: boolean;
  /** Phantom field carrying the value type; never set. */
  readonly __value?: V;
}

function topic<V>(spec: Omit<TopicSpec<V>, '__value'>): TopicSpec<V> {
  return spec;
}

export const Topics = {
  bronze: {
    clickstream: topic<ClickstreamEvent>({
      name: 'bronze.clickstream.raw',
      key: 'user_id as decimal text',
      schema: 'clickstream-event',
      semantics: 'raw events as produced or ingested; may hold duplicates (same event_id), late and out-of-order events',
      partitions: 6,
      compacted: false,
    }),
    sales: topic<SalesOrder>({
      name: 'bronze.sales.raw',
      key: 'order_id',
      schema: 'sales-order',
      semantics: 'raw marketplace order events (placed, cancelled, returned, adjusted); duplicates share event_id',
      partitions: 6,
      compacted: false,
    }),
    products: topic<Product>({
      name: 'bronze.catalog.products',
      key: 'product_id',
      schema: 'product',
      semantics: 'product catalog; an update: the latest record per product_id is the current entry',
      partitions: 3,
      compacted: true,
    }),
    customers: topic<CustomerProfile>({
      name: 'bronze.customers.profiles',
      key: 'customer_id as decimal text',
      schema: 'customer-profile',
      semantics: 'customer profile changelog (inserts and updates, possibly back-dated); every change is kept for SCD2',
      partitions: 3,
      compacted: false,
    }),
    campaigns: topic<CampaignSpend>({
      name: 'bronze.marketing.campaigns',
      key: 'campaign_id',
      schema: 'campaign',
      semantics: 'campaign spend per day and channel; a later record for the same (campaign, day, channel) corrects it',
      partitions: 3,
      compacted: false,
    }),
  },
  rejects: topic<DlqEnvelope>({
    name: 'bronze.rejects',
    key: 'source file URI or topic',
    schema: 'dlq-envelope',
    semantics: 'rows and records that failed parsing or validation at the edge, with source, line number and reason',
    partitions: 1,
    compacted: false,
  }),
} as const;

/** Every topic of the catalog, for tooling (creation, docs, tests). */
export function allTopics(): TopicSpec[] {
  const out: TopicSpec[] = [];
  const walk = (node: object): void => {
    for (const v of Object.values(node)) {
      if (v && typeof v === 'object' && 'name' in v && 'schema' in v) out.push(v as TopicSpec);
      else if (v && typeof v === 'object') walk(v);
    }
  };
  walk(Topics);
  return out;
}

/** The same topic under another name (tests, per-run prefixes); everything else is kept. */
export function renamed<V>(spec: TopicSpec<V>, name: string): TopicSpec<V> {
  return { ...spec, name };
}

/**
 * Lineage headers that producers and batch sources put on every bronze record. The Kafka
 * record timestamp is the produce time; a record's event time is its `event_time` field
 * (or `updated_at` / `day` for the catalog, profiles and campaigns).
 */
export const LINEAGE_HEADERS = {
  /** 'generator', or the importer: 'uci-online-retail', 'rees46', 'csv', 'jsonl', 'parquet'. */
  source: 'sh-source',
  /** The producing process: `<client id>@<host>`. */
  producer: 'sh-producer',
  /** Wall-clock epoch ms when the record was produced. */
  ingestTime: 'sh-ingest-time',
  /** For batch sources: the file URI (local path or s3://bucket/key). */
  file: 'sh-file',
  /** For batch sources: the 1-based line (CSV, JSON Lines) or row (Parquet). */
  line: 'sh-line',
  /** The registry schema id of an Avro value (the bronze bridge sets it from the Avro frame). */
  schemaId: 'sh-schema-id',
  /** On records the bronze bridge mapped: the Avro bronze record they came from, `<topic>/<partition>/<offset>`. */
  origin: 'sh-origin',
} as const;

/*
 * The value's format needs no header: a Confluent Avro value starts with the magic byte 0x00,
 * a JSON value with `{`. (Every header costs the producer several buffer allocations per
 * record in kafkajs, so the lineage headers are kept to those that carry information.)
 */

/** The topics of the medallion pipeline (JSON values on the topologies/logic contract). */
export { PIPELINE_TOPICS, pipelineTopics, type PipelineTopicNames, type PipelineTopicSpec } from './pipeline-topics.ts';
