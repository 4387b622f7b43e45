import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { Errors } from '../errors.ts';
import { encodeKey, encodeValue, parseKey, parseValue, type LogKey, type LogValue } from './log-records.ts';
import type { RegistryState } from './registry-state.ts';
import type { SchemaLog } from './registry-service.ts';

export interface KafkaLogOptions {
  brokers: string[];
  topic: string;
  /** How long a write may wait to be read back before it fails with 50002. */
  writeTimeoutMs?: number;
  /** How long start-up may take to read the topic to its end. */
  initTimeoutMs?: number;
}

/**
 * The `_schemas` topic as the registry's log. One consumer (in a group of its own, so
 * that every instance reads every record) applies each record to the state in offset
 * order. A write produces a record and resolves only once this same consumer has applied
 * it, with whether the state accepted it; so a reply never runs ahead of the state, and
 * two instances reading one topic see one history. `sync()` waits until everything
 * written to the topic so far has been applied (reading to the end offset), which start-up
 * and every write do first.
 */
export class KafkaSchemaLog implements SchemaLog {
  private readonly kafka: Kafka;
  private admin?: Admin;
  private producer?: Producer;
  private consumer?: Consumer;
  /** Offset of the next record to apply. */
  private position = 0n;
  private readonly waiters = new Map<bigint, (accepted: boolean) => void>();
  private readonly positionWaiters: { offset: bigint; resolve: () => void }[] = [];
  /** Fates of the latest records, for a write whose send resolves after its record was applied. */
  private readonly recent = new Map<bigint, boolean>();
  private failure?: Error;

  constructor(
    private readonly options: KafkaLogOptions,
    private readonly state: RegistryState,
  ) {
    this.kafka = new Kafka({ clientId: 'streamhouse-registry', brokers: options.brokers, logLevel: logLevel.ERROR });
  }

  async start(): Promise<void> {
    const { topic } = this.options;
    this.admin = this.kafka.admin();
    await this.admin.connect();
    if (!(await this.admin.listTopics()).includes(topic)) {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      });
    }
    const meta = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    if (partitions !== 1) throw new Error(`registry topic "${topic}" has ${partitions} partitions; the registry needs exactly 1`);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `streamhouse-registry-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topic], fromBeginning: true });
    // The group commits no offsets, so a re-join (after a long pause) reads the topic from
    // its start again: rebuild the state from scratch rather than apply records twice.
    let joins = 0;
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      if (joins++ === 0) return;
      console.warn(`[registry] rejoined the ${topic} reader group; rebuilding the state from the start of the topic`);
      this.state.clear();
      this.position = 0n;
      this.recent.clear();
      try {
        this.consumer!.seek({ topic, partition: 0, offset: '0' });
      } catch (err) {
        // Without committed offsets the re-joined consumer starts from the earliest offset anyway.
        console.warn(`[registry] seek to the start of ${topic} failed: ${(err as Error).message}`);
      }
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      // kafkajs restarts the consumer after a retriable failure (and the re-join rebuilds
      // the state); after any other, requests fail with 50001 until the process restarts.
      if (!e.payload.restart) this.failure = e.payload.error;
      console.error(`[registry] the ${topic} reader failed (${e.payload.restart ? 'restarting' : 'stopped'}): ${e.payload.error.message}`);
    });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => this.applyRecord(BigInt(message.offset), message.key, message.value),
    });
    await withTimeout(this.sync(), this.options.initTimeoutMs ?? 60_000, `reading "${topic}" to its end`);
  }

  private applyRecord(offset: bigint, key: Buffer | null, value: Buffer | null): void {
    let accepted = true;
    if (key) {
      try {
        const k = parseKey(key.toString('utf8'));
        accepted = this.state.apply(k, parseValue(value ? value.toString('utf8') : null));
      } catch (err) {
        accepted = false;
        console.error(`[registry] skipping unreadable record at offset ${offset}: ${(err as Error).message}`);
      }
    }
    this.position = offset + 1n;
    this.recent.set(offset, accepted);
    if (this.recent.size > 1000) this.recent.delete(this.recent.keys().next().value!);
    this.waiters.get(offset)?.(accepted);
    this.waiters.delete(offset);
    for (let i = this.positionWaiters.length - 1; i >= 0; i--) {
      const w = this.positionWaiters[i]!;
      if (w.offset <= this.position) {
        this.positionWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Waits until every record written to the topic before this call has been applied. */
  async sync(): Promise<void> {
    if (this.failure) throw Errors.store(this.failure.message);
    const offsets = await this.admin!.fetchTopicOffsets(this.options.topic);
    const end = BigInt(offsets[0]?.high ?? '0');
    if (this.position >= end) return;
    await new Promise<void>((resolve) => this.positionWaiters.push({ offset: end, resolve }));
  }

  /** Writes one record and resolves with whether the state accepted it once read back. */
  async append(key: LogKey, value: LogValue): Promise<boolean> {
    const v = encodeValue(key, value);
    let offset: bigint;
    try {
      const [meta] = await this.producer!.send({ topic: this.options.topic, acks: -1, messages: [{ key: encodeKey(key), value: v }] });
      offset = BigInt(meta!.baseOffset!);
    } catch (err) {
      throw Errors.store(`Error while writing to the registry topic: ${(err as Error).message}`);
    }
    if (this.position > offset) return this.recent.get(offset) ?? true;
    const accepted = new Promise<boolean>((resolve) => this.waiters.set(offset, resolve));
    return withTimeout(accepted, this.options.writeTimeoutMs ?? 30_000, `waiting for offset ${offset} to be read back`);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => {});
    await this.producer?.disconnect().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Errors.timeout(`Timed out after ${ms} ms ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
