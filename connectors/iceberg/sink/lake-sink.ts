import { Kafka, logLevel, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import { IcebergError } from '../errors.ts';
import { RestCatalogClient } from '../client/rest-catalog-client.ts';
import { S3FileIO, type FileIO } from '../io/file-io.ts';
import { avroRowConverter, type Row } from '../schema/avro-values.ts';
import { confluentAvroDecoder, jsonDecoder, type RecordDecoder } from './record-decoder.ts';
import type { KeyFormat } from './record-key.ts';
import { retrying } from './retry.ts';
import { tombstoneKeyFormat, type LakeSinkConfig } from './sink-config.ts';
import { TableSink } from './table-sink.ts';

type Message = EachBatchPayload['batch']['messages'][number];

interface Route {
  sink: TableSink;
  decoder: RecordDecoder;
  /** Set when tombstones delete (keyed tables): how their record keys name the row. */
  keyFormat?: KeyFormat;
}

/**
 * Consumes topics into Iceberg tables, exactly once.
 *
 * - Start: each table is created or evolved and its committed offsets are read from
 *   its last snapshot; every partition is sought there (or to its start).
 * - Batches: records are decoded and converted into the table's buffer; undecodable
 *   records go to the dead-letter topic and their offsets count as consumed. When a
 *   buffer passes rollBytes it is written out as Parquet files.
 * - Tombstones (null values): in a keyed table the record key is decoded into the key
 *   columns and that row is deleted by the next commit (a key that does not decode is
 *   dead-lettered with the reason); in an append-only table they only advance offsets.
 * - Every commitIntervalMs each table commits one snapshot with its new offsets.
 * - While the object store or catalog is down, the write in progress is retried with
 *   backoff inside the batch handler, so consumption pauses (backpressure) and
 *   nothing buffered is dropped; the consumer keeps heartbeating meanwhile.
 * - Consumer-group offsets are never committed: the tables are the only checkpoint.
 */
export class LakeSink {
  private readonly kafka: Kafka;
  private consumer?: Consumer;
  private dlq?: Producer;
  private readonly io: FileIO;
  private readonly routes = new Map<string, Route>();
  private readonly converters = new Map<string, (r: unknown) => Row>();
  private lastCommit = 0;
  private timer?: NodeJS.Timeout;
  private lock: Promise<unknown> = Promise.resolve();
  private running = false;
  private failure?: unknown;
  /**
   * For metrics and tests. Every consumed record is counted once: `records` (rows),
   * `deletes` (tombstones that delete), `ignoredTombstones` (append-only tables) or
   * `deadLettered`.
   */
  stats = { records: 0, deletes: 0, ignoredTombstones: 0, commits: 0, deadLettered: 0, retries: 0 };

  constructor(
    private readonly config: LakeSinkConfig,
    private readonly log: (msg: string) => void = console.log,
    private readonly nowMs: () => number = () => Math.floor(performance.timeOrigin + performance.now()),
  ) {
    this.kafka = new Kafka({ clientId: `streamhouse-lake-${config.groupId}`, brokers: config.brokers, logLevel: logLevel.WARN });
    this.io = new S3FileIO(config.s3);
    const client = new RestCatalogClient(config.catalogUrl);
    for (const t of config.tables) {
      const sink = new TableSink({ client, io: this.io, nowMs: this.nowMs }, { namespace: t.namespace, name: t.table, avro: t.schema ?? { type: 'record', name: 'Empty', fields: [] }, topics: t.topics, ...(t.partitionBy ? { partitionBy: t.partitionBy } : {}), ...(t.key ? { key: t.key } : {}) });
      const decoder = t.format === 'json' ? jsonDecoder(t.schema!) : confluentAvroDecoder(this.config.registryUrl!);
      const keyFormat = tombstoneKeyFormat(t);
      for (const topic of t.topics) this.routes.set(topic, { sink, decoder, ...(keyFormat ? { keyFormat } : {}) });
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.catch(() => undefined).then(fn);
    this.lock = run;
    return run;
  }

  private retry<T>(what: string, fn: () => Promise<T>, heartbeat?: () => Promise<void>): Promise<T> {
    return retrying(fn, {
      initialDelayMs: this.config.retryInitialMs,
      maxDelayMs: this.config.retryMaxMs,
      isRunning: () => this.running,
      onRetry: async (err, attempt, delay) => {
        this.stats.retries++;
        this.log(`[lake-sink] ${what}: ${err.message}; retry ${attempt} in ${delay} ms (consumption paused)`);
        await heartbeat?.().catch(() => undefined);
      },
    });
  }

  async start(): Promise<void> {
    this.running = true;
    const sinks = new Set([...this.routes.values()].map((r) => r.sink));
    const start = new Map<string, Map<number, bigint>>();
    for (const sink of sinks) {
      const offsets = await this.retry(`open ${sink.name}`, () => sink.open());
      for (const [t, p] of offsets) start.set(t, p);
      this.log(`[lake-sink] ${sink.name}: resuming from ${JSON.stringify(Object.fromEntries([...offsets].map(([t, p]) => [t, Object.fromEntries([...p].map(([k, v]) => [k, String(v)]))])))}`);
    }
    const admin = this.kafka.admin();
    await admin.connect();
    const seeks: { topic: string; partition: number; offset: string }[] = [];
    for (const topic of this.routes.keys()) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const next = start.get(topic)?.get(p.partition);
        seeks.push({ topic, partition: p.partition, offset: next !== undefined ? next.toString() : p.low });
      }
    }
    await admin.disconnect();
    this.dlq = this.kafka.producer({ idempotent: true });
    await this.dlq.connect();
    this.consumer = this.kafka.consumer({ groupId: this.config.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxBytesPerPartition: 4 * 1024 * 1024 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.routes.keys()], fromBeginning: true });
    this.lastCommit = this.nowMs();
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (p) =>
        this.serialized(() => this.onBatch({ ...p, heartbeat: () => p.heartbeat().catch((err: Error) => this.log(`[lake-sink] heartbeat: ${err.message}`)) })).catch((err: unknown) => {
          // Group errors (a rebalance, an expired session after a long outage) are kafkajs's
          // to handle: it rejoins, and GROUP_JOIN seeks back to the buffered positions.
          // (kafkajs is CommonJS: its error classes are not named ESM exports, so match the name.)
          if (err instanceof Error && err.name.startsWith('KafkaJS')) throw err;
          this.fail(err);
        }),
    });
    for (const s of seeks) this.consumer.seek(s);
    // A fetch holding only filtered records (a marker after the last message) never reaches
    // eachBatch: kafkajs reports it as a batch of no messages, starting where the position stands.
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize !== 0 || payload.firstOffset === null) return;
      const route = this.routes.get(payload.topic);
      if (!route) return;
      void this.serialized(async () => {
        if (route.sink.position(payload.topic, payload.partition) === BigInt(payload.firstOffset!)) this.skipFiltered(route.sink, payload.topic, payload.partition, payload.lastOffset);
      });
    });
    // After a rebalance kafkajs would fetch from the group's (never committed) offsets:
    // seek the partitions back to where the buffers stand.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      for (const s of seeks) {
        const next = this.routes.get(s.topic)!.sink.position(s.topic, s.partition);
        this.consumer?.seek({ ...s, offset: next !== undefined ? next.toString() : s.offset });
      }
    });
    this.timer = setInterval(() => {
      if (this.nowMs() - this.lastCommit >= this.config.commitIntervalMs) void this.serialized(() => this.commitAll()).catch((err: unknown) => this.fail(err));
    }, Math.min(1000, this.config.commitIntervalMs));
  }

  private async onBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const route = this.routes.get(batch.topic)!;
    const { sink } = route;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      resolveOffset(message.offset); // moves the fetch position only: autoCommit is off
      const offset = BigInt(message.offset);
      const expected = sink.position(batch.topic, batch.partition);
      if (expected !== undefined && offset < expected) continue; // a replay after a seek or rebalance
      const bytes = message.value?.length ?? 0;
      if (!message.value) {
        await this.tombstone(route, batch.topic, batch.partition, message, offset);
        if (sink.bufferedBytes >= this.config.rollBytes) await this.retry(`roll ${sink.name}`, () => sink.flush(), heartbeat);
        continue;
      }
      let row: Row;
      try {
        const { record, schema } = await this.retry('decode', async () => route.decoder.decode(message.value!), heartbeat);
        const key = JSON.stringify(schema);
        let convert = this.converters.get(key);
        if (!convert) {
          await this.retry(`evolve ${sink.name}`, () => sink.evolve(schema), heartbeat);
          this.converters.set(key, (convert = avroRowConverter(schema)));
        }
        row = convert(record);
      } catch (err) {
        if (!(err instanceof IcebergError) || err.code !== 'BAD_RECORD') throw err;
        await this.deadLetter(batch.topic, batch.partition, message, err);
        sink.add(undefined, batch.topic, batch.partition, offset, bytes);
        continue;
      }
      sink.add(row, batch.topic, batch.partition, offset, bytes);
      this.stats.records++;
      if (sink.bufferedBytes >= this.config.rollBytes) await this.retry(`roll ${sink.name}`, () => sink.flush(), heartbeat);
    }
    // Every record of the batch is handled: step over what kafkajs filtered out after the last
    // message (a transaction's commit or abort marker, aborted records), so the table's offsets
    // reach the partition's end instead of stopping one or two short of it.
    this.skipFiltered(sink, batch.topic, batch.partition, batch.lastOffset());
    await heartbeat();
    if (this.nowMs() - this.lastCommit >= this.config.commitIntervalMs) await this.commitAll(heartbeat);
  }

  /**
   * Advances a partition's position past `lastOffset` when nothing unread lies before it: the
   * records from the position to `lastOffset` were all filtered out by the consumer (control
   * records, aborted transactions), so the next commit records the offset after them.
   */
  private skipFiltered(sink: TableSink, topic: string, partition: number, lastOffset: string): void {
    const last = BigInt(lastOffset);
    const position = sink.position(topic, partition);
    if (position !== undefined && last >= position) sink.add(undefined, topic, partition, last, 0);
  }

  /** A null value: deletes the row its key names (keyed tables), or only advances the offsets. */
  private async tombstone({ sink, keyFormat }: Route, topic: string, partition: number, message: Message, offset: bigint): Promise<void> {
    const bytes = message.key?.length ?? 0;
    if (!keyFormat) {
      this.stats.ignoredTombstones++;
      sink.add(undefined, topic, partition, offset, bytes);
      return;
    }
    let key: Row | undefined;
    try {
      key = sink.deleteKeyOf(message.key, keyFormat);
    } catch (err) {
      if (!(err instanceof IcebergError) || err.code !== 'BAD_RECORD') throw err;
      await this.deadLetter(topic, partition, message, err);
      sink.add(undefined, topic, partition, offset, bytes);
      return;
    }
    this.stats.deletes++;
    if (key) sink.remove(key, topic, partition, offset, bytes);
    else sink.add(undefined, topic, partition, offset, bytes); // no table yet: nothing to delete
  }

  private async deadLetter(topic: string, partition: number, message: Message, err: Error): Promise<void> {
    this.stats.deadLettered++;
    await this.dlq!.send({
      topic: `${topic}${this.config.dlqSuffix}`,
      messages: [{ key: message.key, value: message.value, headers: { 'lake.error': err.message, 'lake.source': `${topic}/${partition}/${message.offset}` } }],
    });
  }

  private async commitAll(heartbeat?: () => Promise<void>): Promise<void> {
    const sinks = new Set([...this.routes.values()].map((r) => r.sink));
    for (const sink of sinks) {
      const done = await this.retry(`commit ${sink.name}`, () => sink.commit(), heartbeat);
      if (done) this.stats.commits++;
    }
    this.lastCommit = this.nowMs();
  }

  private fail(err: unknown): void {
    if (this.failure || !this.running) return;
    this.failure = err;
    this.log(`[lake-sink] stopping after an error: ${(err as Error).message}`);
    void this.stop(false);
  }

  /** The error that stopped the sink, if any. */
  get error(): unknown {
    return this.failure;
  }

  /** Stops consuming; with `flush`, commits what is buffered first. */
  async stop(flush = true): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    await this.consumer?.stop().catch(() => undefined);
    if (flush && !this.failure) {
      this.running = true;
      await this.serialized(() => this.commitAll()).finally(() => (this.running = false));
    }
    await this.consumer?.disconnect().catch(() => undefined);
    await this.dlq?.disconnect().catch(() => undefined);
    this.io.close();
  }
}
