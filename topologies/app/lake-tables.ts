import type { SinkTableConfig } from '../../connectors/iceberg/index.ts';
import { PIPELINE_DEFAULTS } from '../pipeline-config.ts';
import type { PipelineTopicNames } from '../pipeline-topics.ts';
import { Topics } from '../topics.ts';

/**
 * The gold topics as Iceberg upsert tables (one current row per key), for the lake sink
 * that `npm start` runs when the catalog is reachable. Values are the topics' Confluent
 * Avro records (topologies/gold-contract.ts), so each table follows the registered schema:
 * snake_case columns, money as exact decimal(20, 2), times as timestamptz; the sink needs
 * the registry (LakeSinkConfig.registryUrl). The record key names the key
 * columns (see pipeline-topics.ts: a JSON array of them, or the single column as text),
 * so a topic's null (a deleted row) deletes the row from the table.
 */
const str = (name: string) => ({ name, type: 'string' });
const optStr = (name: string) => ({ name, type: ['null', 'string'], default: null });
const int = (name: string) => ({ name, type: 'int' });

/** Every table `npm start` sinks: the gold tables and the customer dimension; with `bronzePrefix`, the bronze tables too. */
export function lakeTables(topics: PipelineTopicNames, scd2Tracked: readonly string[] = PIPELINE_DEFAULTS.scd2Tracked, bronzePrefix?: string): SinkTableConfig[] {
  return [...goldLakeTables(topics), customerDimensionLakeTable(topics, scd2Tracked), ...(bronzePrefix === undefined ? [] : bronzeLakeTables(bronzePrefix))];
}

/**
 * The Avro bronze topics of the catalog (topologies/topics.ts) as append-only tables in
 * namespace `bronze`, one per topic, columns from the registered writer schemas: the raw
 * history as it arrived (duplicates, late and out-of-order records included; the topics'
 * compaction does not apply), partitioned by day of the record's own time. A record that
 * does not decode (no magic byte, unknown schema) goes to `<topic>.lake-dlq` with the reason.
 * `prefix` is prepended to the topic names (tests use their own).
 */
export function bronzeLakeTables(prefix = ''): SinkTableConfig[] {
  const b = Topics.bronze;
  const table = (topic: string, name: string, day: string): SinkTableConfig => ({ topics: [prefix + topic], namespace: ['bronze'], table: name, format: 'avro', partitionBy: [`day(${day})`] });
  return [
    table(b.clickstream.name, 'clickstream', 'event_time'),
    table(b.sales.name, 'sales', 'event_time'),
    table(b.products.name, 'products', 'updated_at'),
    table(b.customers.name, 'customer_profiles', 'updated_at'),
    table(b.campaigns.name, 'campaign_spend', 'day'),
  ];
}

/**
 * The SCD2 customer dimension (`silver.customer-dimension`, CustomerVersion values keyed by
 * surrogate key) as the upsert table `silver.customer_dimension`: one row per version, key
 * the surrogate key. A version merged away by a back-dated change is a null in the topic
 * and is deleted from the table, so the table holds exactly the topic's live versions and
 * one `isCurrent` row per customer. `effectiveTo` is null for the open (current) version;
 * the times are timestamptz (the topic's epoch milliseconds). The tracked attributes are
 * the struct column `attributes` (one optional string per tracked attribute).
 */
export function customerDimensionLakeTable(topics: PipelineTopicNames, scd2Tracked: readonly string[]): SinkTableConfig {
  const ts = (name: string) => ({ name, type: { type: 'long', logicalType: 'timestamp-millis' } });
  const optTs = (name: string) => ({ name, type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null });
  const attributes = { type: 'record', name: 'CustomerAttributes', namespace: 'streamhouse.silver', fields: [...scd2Tracked].sort().map(optStr) };
  return {
    topics: [topics.customerDimension],
    namespace: ['silver'],
    table: 'customer_dimension',
    format: 'json',
    key: ['surrogateKey'],
    keyFormat: 'text',
    partitionBy: [],
    schema: {
      type: 'record',
      name: 'CustomerVersionRow',
      namespace: 'streamhouse.silver',
      fields: [str('surrogateKey'), str('customerId'), int('version'), ts('effectiveFrom'), optTs('effectiveTo'), { name: 'isCurrent', type: 'boolean' }, str('attributeHash'), { name: 'attributes', type: attributes }],
    },
  };
}

export function goldLakeTables(topics: PipelineTopicNames): SinkTableConfig[] {
  return [
    {
      topics: [topics.salesPerformance],
      namespace: ['gold'],
      table: 'sales_performance',
      format: 'avro',
      key: ['window_size', 'window_start', 'category', 'channel', 'country'],
      keyFormat: 'json-array',
      partitionBy: [],
    },
    {
      topics: [topics.channelPerformance],
      namespace: ['gold'],
      table: 'channel_performance',
      format: 'avro',
      key: ['day', 'channel'],
      keyFormat: 'json-array',
      partitionBy: [],
    },
    {
      topics: [topics.attribution],
      namespace: ['gold'],
      table: 'attribution',
      format: 'avro',
      key: ['model', 'channel', 'campaign'],
      keyFormat: 'json-array',
      partitionBy: [],
    },
    {
      topics: [topics.rfm],
      namespace: ['gold'],
      table: 'rfm',
      format: 'avro',
      key: ['customer_id'],
      keyFormat: 'text',
      partitionBy: [],
    },
  ];
}
