import { defaultDeadLetterTopic } from '../errors/exception-handlers.ts';
import { ConfigError } from '../errors/runtime-errors.ts';
import { systemClock, type Clock } from '../time/clock.ts';

export type ProcessingGuarantee = 'at_least_once' | 'exactly_once';

/**
 * Configuration of a KafkaStreams instance. Only `applicationId` and `bootstrapServers`
 * are required; everything else has a default in DEFAULTS. Validated once, at `start()`.
 */
export interface KafkaStreamsConfig {
  /** application.id: the consumer group, the prefix of internal topics and transactional ids. */
  applicationId: string;
  /** bootstrap.servers: `host:port` of the brokers. */
  bootstrapServers: string[];
  /** processing.guarantee. exactly_once: one transaction per task and commit interval. */
  processingGuarantee: ProcessingGuarantee;
  /** commit.interval.ms. Default 30000 under at_least_once, 100 under exactly_once. */
  commitIntervalMs?: number;
  /**
   * state.dir: persistent stores live in `<stateDir>/<applicationId>/<taskId>`. One running
   * instance per folder and application: a second one in the same process is refused at
   * `start()` (a ConfigError naming this key), as in Kafka Streams.
   */
  stateDir: string;
  /** statestore.cache.max.bytes: write cache of this instance, split evenly over its tasks' caching stores. */
  cacheMaxBytes: number;
  /** buffered.records.per.partition: consumed records a task may hold before its partition is paused. */
  bufferedRecordsPerPartition: number;
  /**
   * Outgoing records a task collects before it sends them in one produce request. kafkajs
   * 2.2.4 groups a request's records per partition in time quadratic in their number (it
   * copies the partition's array per record: 0.55 µs per record at 75, 6.3 µs at 5,000),
   * so batches of a thousand beat larger ones when a task catches up.
   */
  producerBatchRecords: number;
  /**
   * Bytes (keys, values, headers) a task collects before it sends them in one produce
   * request, so that no request exceeds the broker's message.max.bytes (about 1 MB).
   */
  producerBatchBytes: number;
  /** message.max.bytes: a record larger than this fails its task with RECORD_TOO_LARGE. */
  maxRecordBytes: number;
  /** Produce requests in flight per producer before processing waits (backpressure on output). */
  maxInFlightBatches: number;
  /** linger.ms: how long a partial output batch may wait for more records before it is sent. */
  lingerMs: number;
  /** The dead-letter topic for records the error handlers send there; created if missing. Default `<applicationId>-dlq`. */
  dlqTopic?: string;
  /** auto.offset.reset: where a partition without committed offsets starts. */
  autoOffsetReset: 'earliest' | 'latest';
  /** Replication factor of internal topics (-1: the broker's default). */
  replicationFactor: number;
  /** Host and port of the /metrics, /healthz, /readyz server; port 0 picks a free port. */
  httpHost: string;
  httpPort: number;
  /** False disables the HTTP server (embedded uses, benchmarks). */
  httpEnabled: boolean;
  /** The source of wall-clock time for commits and punctuators. */
  clock: Clock;
  /** Session timeout of the consumer group, milliseconds. */
  sessionTimeoutMs: number;
  /** repartition.purge.interval.ms: how often records before the committed offsets are deleted from repartition topics. */
  repartitionPurgeIntervalMs: number;
  /** kafkajs client id prefix; defaults to the application id. */
  clientId?: string;
}

export type KafkaStreamsOptions = Partial<KafkaStreamsConfig> & Pick<KafkaStreamsConfig, 'applicationId' | 'bootstrapServers'>;

export const DEFAULTS: Omit<KafkaStreamsConfig, 'applicationId' | 'bootstrapServers'> = {
  processingGuarantee: 'at_least_once',
  stateDir: '/tmp/streamhouse-state',
  cacheMaxBytes: 10 * 1024 * 1024,
  bufferedRecordsPerPartition: 1000,
  producerBatchRecords: 1000,
  producerBatchBytes: 512 * 1024,
  maxRecordBytes: 1_000_000,
  maxInFlightBatches: 8,
  lingerMs: 5,
  autoOffsetReset: 'earliest',
  replicationFactor: -1,
  httpHost: '127.0.0.1',
  httpPort: 8088,
  httpEnabled: true,
  clock: systemClock,
  sessionTimeoutMs: 10_000,
  repartitionPurgeIntervalMs: 30_000,
};

/** The configuration with defaults applied and every key checked; resolved commit interval. */
export type ResolvedConfig = KafkaStreamsConfig & { commitIntervalMs: number; clientId: string; dlqTopic: string };

export function resolveConfig(options: KafkaStreamsOptions): ResolvedConfig {
  const c = { ...DEFAULTS, ...options } as KafkaStreamsConfig;
  const fail = (key: string, msg: string): never => {
    throw new ConfigError(`invalid config '${key}': ${msg}`);
  };
  if (typeof c.applicationId !== 'string' || !/^[A-Za-z0-9._-]+$/.test(c.applicationId)) {
    fail('applicationId', `must be a non-empty string of letters, digits, '.', '_' or '-', got ${JSON.stringify(c.applicationId)}`);
  }
  if (!Array.isArray(c.bootstrapServers) || c.bootstrapServers.length === 0 || !c.bootstrapServers.every((s) => /^[^:\s]+:\d+$/.test(s))) {
    fail('bootstrapServers', `must be a non-empty list of host:port, got ${JSON.stringify(c.bootstrapServers)}`);
  }
  if (c.processingGuarantee !== 'at_least_once' && c.processingGuarantee !== 'exactly_once') {
    fail('processingGuarantee', `must be 'at_least_once' or 'exactly_once', got ${JSON.stringify(c.processingGuarantee)}`);
  }
  const commitIntervalMs = c.commitIntervalMs ?? (c.processingGuarantee === 'exactly_once' ? 100 : 30_000);
  positiveInt('commitIntervalMs', commitIntervalMs, fail);
  if (typeof c.stateDir !== 'string' || c.stateDir === '') fail('stateDir', 'must be a directory path');
  nonNegativeInt('cacheMaxBytes', c.cacheMaxBytes, fail);
  positiveInt('bufferedRecordsPerPartition', c.bufferedRecordsPerPartition, fail);
  positiveInt('producerBatchRecords', c.producerBatchRecords, fail);
  positiveInt('producerBatchBytes', c.producerBatchBytes, fail);
  positiveInt('maxRecordBytes', c.maxRecordBytes, fail);
  positiveInt('maxInFlightBatches', c.maxInFlightBatches, fail);
  nonNegativeInt('lingerMs', c.lingerMs, fail);
  positiveInt('sessionTimeoutMs', c.sessionTimeoutMs, fail);
  positiveInt('repartitionPurgeIntervalMs', c.repartitionPurgeIntervalMs, fail);
  if (c.dlqTopic !== undefined && (typeof c.dlqTopic !== 'string' || c.dlqTopic === '')) fail('dlqTopic', 'must be a topic name');
  if (c.autoOffsetReset !== 'earliest' && c.autoOffsetReset !== 'latest') fail('autoOffsetReset', "must be 'earliest' or 'latest'");
  if (!Number.isInteger(c.replicationFactor) || (c.replicationFactor < 1 && c.replicationFactor !== -1)) {
    fail('replicationFactor', 'must be a positive integer or -1');
  }
  if (typeof c.httpHost !== 'string' || c.httpHost === '') fail('httpHost', 'must be a host name or address');
  if (!Number.isInteger(c.httpPort) || c.httpPort < 0 || c.httpPort > 65535) fail('httpPort', `must be 0..65535, got ${c.httpPort}`);
  if (!c.clock || typeof c.clock.now !== 'function') fail('clock', 'must have a now() method');
  return { ...c, commitIntervalMs, clientId: c.clientId ?? c.applicationId, dlqTopic: c.dlqTopic ?? defaultDeadLetterTopic(c.applicationId) };
}

function positiveInt(key: string, v: unknown, fail: (k: string, m: string) => never): void {
  if (!Number.isInteger(v) || (v as number) <= 0) fail(key, `must be a positive integer, got ${JSON.stringify(v)}`);
}
function nonNegativeInt(key: string, v: unknown, fail: (k: string, m: string) => never): void {
  if (!Number.isInteger(v) || (v as number) < 0) fail(key, `must be a non-negative integer, got ${JSON.stringify(v)}`);
}
