import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadConfig } from '../../../../deploy/config.ts';

/** Test helpers for the sources' integration tests: unique names, reading a topic to its end. */

export function uniquePrefix(what: string): string {
  return `shtest-${what}-${randomBytes(4).toString('hex')}.`;
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'sources-it', brokers: loadConfig().kafka.brokers, logLevel: logLevel.ERROR });
}

export interface ReadMessage {
  partition: number;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** Messages in a topic now: the sum of high minus low watermarks. */
export async function countMessages(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
}

/**
 * The end offset of every partition of the topic. Right after a topic is created, a
 * broker under load may still describe fewer partitions than the topic has, so this
 * waits until the offsets cover every partition in the topic's metadata.
 */
async function partitionEnds(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  for (let attempt = 0; ; attempt++) {
    const partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
    const offsets = await admin.fetchTopicOffsets(topic);
    if (offsets.length >= partitions.length || attempt >= 20) {
      return new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, BigInt(o.high)]));
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every message of the topic up to the current end of each partition, in partition order. */
export async function readAll(kafka: Kafka, topic: string, timeoutMs = 240_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await partitionEnds(admin, topic);
  await admin.disconnect();
  const out: ReadMessage[] = [];
  if (ends.size === 0) return out;
  const pending = new Set(ends.keys());
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${randomBytes(4).toString('hex')}`, maxBytes: 32 << 20, maxBytesPerPartition: 8 << 20, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const end = ends.get(batch.partition);
      for (const m of batch.messages) {
        if (end === undefined || BigInt(m.offset) >= end) continue; // written after we looked
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(v);
        out.push({ partition: batch.partition, key: m.key?.toString() ?? '', value: m.value ?? Buffer.alloc(0), headers });
        if (BigInt(m.offset) === end - 1n) pending.delete(batch.partition);
      }
      if (pending.size === 0) done();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`read ${out.length} of ${topic}; partitions not finished: ${[...pending].join(',')}`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition);
}

/** Deletes every topic whose name starts with `prefix`. */
export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
