import { IcebergError } from '../errors.ts';
import type { S3Settings } from '../io/file-io.ts';
import type { AvroSchema } from '../schema/avro-to-iceberg.ts';

/** One table the sink writes, and the topics that feed it. */
export interface SinkTableConfig {
  topics: string[];
  namespace: string[];
  table: string;
  /** `json`: values are JSON objects shaped like `schema`; `avro`: Confluent wire format, schemas from the registry. */
  format: 'json' | 'avro';
  /** The Avro schema of the values (required for json; for avro, the table follows the writers' schemas). */
  schema?: AvroSchema;
  /** Partition expressions, default `day(event_time)` when that column exists. */
  partitionBy?: string[];
  /**
   * Primary-key columns: the table becomes an upsert table (one current row per key,
   * position deletes); each commit applies the buffered records, the last per key winning.
   */
  key?: string[];
}

export interface LakeSinkConfig {
  brokers: string[];
  /** The consumer group; it only balances partitions, offsets live in the tables. */
  groupId: string;
  catalogUrl: string;
  registryUrl?: string;
  s3: S3Settings;
  tables: SinkTableConfig[];
  /** One snapshot per table per interval (the "time" roll). */
  commitIntervalMs: number;
  /** Buffered input bytes per table that roll into data files before the interval ends (the "size" roll). */
  rollBytes: number;
  /** Backoff of retries while the object store or catalog is unavailable. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** Records that cannot be decoded go to `<topic><dlqSuffix>` with the error in a header. */
  dlqSuffix: string;
}

export const DEFAULTS = {
  commitIntervalMs: 30_000,
  rollBytes: 64 * 1024 * 1024,
  retryInitialMs: 200,
  retryMaxMs: 5_000,
  dlqSuffix: '.lake-dlq',
} satisfies Partial<LakeSinkConfig>;

/** Fills defaults and validates once, naming the bad key. */
export function sinkConfig(c: Partial<LakeSinkConfig> & Pick<LakeSinkConfig, 'brokers' | 'groupId' | 'catalogUrl' | 's3' | 'tables'>): LakeSinkConfig {
  const full: LakeSinkConfig = { ...DEFAULTS, ...c };
  const bad = (key: string, why: string): never => {
    throw new IcebergError('BAD_CONFIG', `sink config: ${key} ${why}`);
  };
  if (full.tables.length === 0) bad('tables', 'is empty');
  const seen = new Set<string>();
  full.tables.forEach((t, i) => {
    if (!t.topics?.length) bad(`tables[${i}].topics`, 'is empty');
    if (!t.table || !t.namespace?.length) bad(`tables[${i}]`, 'needs namespace and table');
    if (t.format !== 'json' && t.format !== 'avro') bad(`tables[${i}].format`, `must be json or avro, got ${String(t.format)}`);
    if (t.format === 'json' && !t.schema) bad(`tables[${i}].schema`, 'is required for json values');
    if (t.format === 'avro' && !full.registryUrl) bad('registryUrl', `is required for avro values (tables[${i}])`);
    for (const topic of t.topics) {
      if (seen.has(topic)) bad(`tables[${i}].topics`, `"${topic}" feeds two tables`);
      seen.add(topic);
    }
  });
  for (const k of ['commitIntervalMs', 'rollBytes', 'retryInitialMs', 'retryMaxMs'] as const) {
    if (!(Number.isFinite(full[k]) && full[k] > 0)) bad(k, `must be a positive number, got ${full[k]}`);
  }
  return full;
}
