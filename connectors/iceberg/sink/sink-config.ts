import { IcebergError } from '../errors.ts';
import type { S3Settings } from '../io/file-io.ts';
import type { AvroSchema } from '../schema/avro-to-iceberg.ts';
import { KEY_FORMATS, type KeyFormat } from './record-key.ts';

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
  /**
   * How the Kafka record key holds the `key` columns (see record-key.ts): `text` (the key is
   * the single key column), `json-array` (the key columns in `key` order) or `json-object`
   * (a member per key column). Default: `text` for one key column, `json-array` for more.
   */
  keyFormat?: KeyFormat;
  /**
   * What a tombstone (null value) does. `delete` (the default with `key`): the row whose key
   * the record key names is deleted in the same snapshot machinery as upserts. `ignore`:
   * the record only advances the offsets; the only choice without `key` (append-only tables).
   */
  tombstones?: 'delete' | 'ignore';
}

/** The key format tombstones are decoded with, or undefined when tombstones are ignored. */
export function tombstoneKeyFormat(t: SinkTableConfig): KeyFormat | undefined {
  if (!t.key?.length || t.tombstones === 'ignore') return undefined;
  return t.keyFormat ?? (t.key.length === 1 ? 'text' : 'json-array');
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
    if (t.tombstones !== undefined && t.tombstones !== 'delete' && t.tombstones !== 'ignore') bad(`tables[${i}].tombstones`, `must be delete or ignore, got ${String(t.tombstones)}`);
    if (t.tombstones === 'delete' && !t.key?.length) bad(`tables[${i}].tombstones`, 'is delete, which needs key columns (tables without key are append-only)');
    if (t.keyFormat !== undefined) {
      if (!KEY_FORMATS.includes(t.keyFormat)) bad(`tables[${i}].keyFormat`, `must be one of ${KEY_FORMATS.join(', ')}, got ${String(t.keyFormat)}`);
      if (!t.key?.length) bad(`tables[${i}].keyFormat`, 'needs key columns');
      if (t.keyFormat === 'text' && t.key!.length !== 1) bad(`tables[${i}].keyFormat`, `is text, which maps the record key to one column, but key has ${t.key!.length}: use json-array or json-object`);
    }
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
