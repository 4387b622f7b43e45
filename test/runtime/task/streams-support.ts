import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../../deploy/config.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import type { Topology } from '../../../runtime/dsl/topology.ts';
import type { KafkaStreamsConfig } from '../../../runtime/task/kafka-streams-config.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';

/** Helpers of the KafkaStreams integration tests: names, input, reading the output. */

export const brokers = (): string[] => loadConfig().kafka.brokers;

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function client(id = 'task-it'): Kafka {
  return new Kafka({ clientId: id, brokers: brokers(), logLevel: logLevel.NOTHING });
}

/** What a suite of broker tests shares: see brokerSuite. */
export interface BrokerSuite {
  /** Unique per run; every topic the suite makes starts with it. */
  readonly prefix: string;
  readonly kafka: Kafka;
  /** Connected for the whole suite. */
  readonly admin: Admin;
  /** A fresh state folder for the suite's KafkaStreams instances. */
  readonly stateDir: string;
}

/**
 * Registers the set-up every KafkaStreams integration suite needs (a client, a connected
 * admin, a temporary state folder) and its clean-up (the suite's topics, the admin, the
 * folder); the fields are set once `beforeAll` has run.
 */
export function brokerSuite(name: string): BrokerSuite {
  const suite = { prefix: unique(name) } as { prefix: string; kafka: Kafka; admin: Admin; stateDir: string };
  beforeAll(async () => {
    suite.kafka = client();
    suite.admin = suite.kafka.admin();
    await suite.admin.connect();
    suite.stateDir = await mkdtemp(join(tmpdir(), `${name}-`));
  });
  afterAll(async () => {
    await deleteTopics(suite.admin, [], suite.prefix);
    await suite.admin.disconnect();
    await rm(suite.stateDir, { recursive: true, force: true });
  });
  return suite;
}

/**
 * A KafkaStreams instance of the suite, not started: exactly-once, in the suite's state folder,
 * no HTTP server, no logs; `overrides` adds or replaces options.
 */
export function suiteStreams(suite: BrokerSuite, topology: Topology, applicationId: string, overrides: Partial<KafkaStreamsConfig> = {}): KafkaStreams {
  return new KafkaStreams(topology, {
    applicationId,
    bootstrapServers: brokers(),
    processingGuarantee: 'exactly_once',
    stateDir: suite.stateDir,
    httpEnabled: false,
    logger: silentLogger,
    ...overrides,
  });
}

/** Creates `topics` and waits until each partition has a leader (metadata may lag a create). */
export async function createTopics(admin: Admin, topics: string[], partitions: number): Promise<void> {
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions })) });
  for (let attempt = 0; ; attempt++) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      if (meta.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (attempt > 100) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deletes `topics` and every topic starting with `prefix` (internal topics). */
export async function deleteTopics(admin: Admin, topics: string[], prefix?: string): Promise<void> {
  const existing = await admin.listTopics();
  const doomed = existing.filter((t) => topics.includes(t) || (prefix !== undefined && t.startsWith(prefix)));
  if (doomed.length > 0) await admin.deleteTopics({ topics: doomed }).catch(() => undefined);
}

/**
 * Input keys `k0..k<keys-1>`, round robin; returns the expected count per key. The producer
 * is idempotent: a retried request on the loaded broker must not duplicate input records.
 */
export async function produceKeys(kafka: Kafka, topic: string, from: number, count: number, keys: number): Promise<Map<string, number>> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 }); // no duplicates on retries
  await producer.connect();
  const expected = new Map<string, number>();
  for (let start = from; start < from + count; start += 1000) {
    const messages = [];
    for (let i = start; i < Math.min(from + count, start + 1000); i++) {
      const key = `k${i % keys}`;
      messages.push({ key, value: `v${i}` });
    }
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
  for (let i = from; i < from + count; i++) expected.set(`k${i % keys}`, (expected.get(`k${i % keys}`) ?? 0) + 1);
  return expected;
}

export function addCounts(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const sum = new Map(a);
  for (const [k, v] of b) sum.set(k, (sum.get(k) ?? 0) + v);
  return sum;
}

/**
 * Reads `topic` from the beginning with read_committed, handing each record to `onRecord`,
 * until `onRecord` returns true (checked after each fetched batch) or `timeoutMs` passes.
 */
export async function readUntil(kafka: Kafka, topic: string, onRecord: (message: KafkaMessage) => boolean, timeoutMs: number): Promise<void> {
  const consumer = kafka.consumer({ groupId: unique('task-it-reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      let stop = false;
      for (const m of batch.messages) stop = onRecord(m) || stop;
      if (stop) finish();
    },
  });
  const timer = setTimeout(finish, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
}

/**
 * Reads `topic` from the beginning with read_committed until `done(perKey)` holds or
 * `timeoutMs` passes; returns every count value seen per key, in order.
 */
export async function readCounts(
  kafka: Kafka,
  topic: string,
  done: (perKey: Map<string, number[]>) => boolean,
  timeoutMs = 120_000,
): Promise<Map<string, number[]>> {
  const perKey = new Map<string, number[]>();
  await readUntil(
    kafka,
    topic,
    (m) => {
      const key = m.key!.toString();
      const list = perKey.get(key) ?? [];
      list.push(Number(m.value!.readBigInt64BE()));
      perKey.set(key, list);
      return done(perKey);
    },
    timeoutMs,
  );
  return perKey;
}

/** True when every key of `expected` reached its final count (or more, when `atLeast`) in `perKey`. */
export function reached(expected: Map<string, number>, perKey: Map<string, number[]>, atLeast = false): boolean {
  for (const [k, n] of expected) {
    const list = perKey.get(k);
    const last = list?.[list.length - 1];
    if (last === undefined || (atLeast ? last < n : last !== n)) return false;
  }
  return true;
}

/**
 * Keys whose counts are not exactly 1, 2, ..., n (duplicates or gaps); with `atLeast`,
 * keys whose counts skip a value or end below n (a lost record). For clear failure messages.
 */
export function irregularKeys(expected: Map<string, number>, perKey: Map<string, number[]>, atLeast = false): string[] {
  const bad: string[] = [];
  for (const [k, n] of expected) {
    const list = perKey.get(k) ?? [];
    const wrong = atLeast
      ? list.length < n || (list[list.length - 1] ?? 0) < n || list.some((v, i) => v > (i === 0 ? 1 : Math.max(...list.slice(0, i)) + 1))
      : list.length !== n || list.some((v, i) => v !== i + 1);
    if (wrong) bad.push(`${k}: [${list.slice(0, 20).join(',')}${list.length > 20 ? ',…' : ''}] (want 1..${n})`);
  }
  return bad;
}
