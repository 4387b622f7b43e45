import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { consumeUntil, deleteGroupsQuietly, deleteTopicsIfPresent, kafkaClient, uniqueName, waitFor } from './support/kafka.ts';

/**
 * Proves that kafkajs 2.2.4 works against the local Kafka 4.x broker (KRaft, one node):
 * topic administration, a 100,000-message round trip over 6 partitions, the idempotent
 * producer, and transactions with sendOffsets under a read_committed consumer.
 */
const created: string[] = [];
const groups: string[] = [];
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = kafkaClient(uniqueName('foundation'));
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await deleteTopicsIfPresent(admin, created);
  await deleteGroupsQuietly(admin, groups);
  await admin.disconnect();
});

async function createTopic(prefix: string, numPartitions: number): Promise<string> {
  const topic = uniqueName(prefix);
  created.push(topic);
  expect(await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true })).toBe(true);
  return topic;
}

const producerOptions = { createPartitioner: Partitioners.DefaultPartitioner };

/** A unique consumer-group name, deleted in afterAll. */
function group(prefix: string): string {
  const id = uniqueName(prefix);
  groups.push(id);
  return id;
}

describe('kafkajs against the local broker', () => {
  it('creates and deletes topics', async () => {
    const topic = await createTopic('foundation-admin', 3);
    expect(await admin.listTopics()).toContain(topic);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    // Creating it again is refused, not silently accepted.
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false);

    await admin.deleteTopics({ topics: [topic] });
    await waitFor('the topic to disappear', async () => ((await admin.listTopics()).includes(topic) ? undefined : true));
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('produces and consumes 100,000 messages over 6 partitions with no loss, no duplicate, in partition order', async () => {
    const total = 100_000;
    const partitions = 6;
    const topic = await createTopic('foundation-bulk', partitions);
    const producer = kafka.producer(producerOptions);
    await producer.connect();
    // Message i goes to partition i % 6, so partition p must hold exactly p, p+6, p+12, ... in that order.
    const batchSize = 10_000;
    for (let start = 0; start < total; start += batchSize) {
      const messages = Array.from({ length: batchSize }, (_, j) => {
        const id = start + j;
        return { partition: id % partitions, key: `k${id}`, value: `${id}:${'x'.repeat(64)}` };
      });
      await producer.send({ topic, messages });
    }
    await producer.disconnect();

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => Number(o.high)).reduce((a, b) => a + b, 0)).toBe(total);

    const consumer = kafka.consumer({ groupId: group('foundation-bulk'), maxBytes: 16 * 1024 * 1024 });
    await consumer.connect();
    const seen = await consumeUntil(consumer, topic, (s) => s.length >= total);
    await consumer.disconnect();

    expect(seen.length).toBe(total);
    const count = new Uint8Array(total);
    const next = new Array<number>(partitions).fill(0).map((_, p) => p);
    const nextOffset = new Array<number>(partitions).fill(0);
    for (const m of seen) {
      const id = Number(m.value.slice(0, m.value.indexOf(':')));
      count[id]!++;
      expect(m.key).toBe(`k${id}`);
      expect(id, `partition ${m.partition} out of order`).toBe(next[m.partition]);
      expect(Number(m.offset)).toBe(nextOffset[m.partition]);
      next[m.partition]! += partitions;
      nextOffset[m.partition]!++;
    }
    expect(count.every((c) => c === 1)).toBe(true);
    expect(nextOffset).toEqual(Array.from({ length: partitions }, (_, p) => Math.ceil((total - p) / partitions)));
  });

  it('idempotent producer: concurrent sends are written exactly once and in order', async () => {
    const topic = await createTopic('foundation-idem', 2);
    const producer = kafka.producer({ ...producerOptions, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sends = 20;
    const per = 100;
    // Fire all sends at once; the idempotent producer keeps per-partition sequence numbers.
    await Promise.all(
      Array.from({ length: sends }, (_, s) =>
        producer.send({ topic, messages: Array.from({ length: per }, (_, j) => ({ partition: 0, value: String(s * per + j) })) }),
      ),
    );
    await producer.disconnect();
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.find((o) => o.partition === 0)!.high).toBe(String(sends * per));

    const consumer = kafka.consumer({ groupId: group('foundation-idem') });
    await consumer.connect();
    const seen = await consumeUntil(consumer, topic, (s) => s.length >= sends * per);
    await consumer.disconnect();
    const ids = seen.map((m) => Number(m.value));
    expect(new Set(ids).size).toBe(sends * per);
    // Within each send the order is kept (sends themselves may interleave).
    const bySend = new Map<number, number[]>();
    for (const id of ids) bySend.set(Math.floor(id / per), [...(bySend.get(Math.floor(id / per)) ?? []), id]);
    for (const [s, list] of bySend) expect(list).toEqual(Array.from({ length: per }, (_, j) => s * per + j));
  });
});

describe('kafkajs transactions against the local broker', () => {
  it('commits a transaction with sendOffsets, aborts another, and read_committed sees only the committed batch', async () => {
    const input = await createTopic('foundation-tx-in', 1);
    const output = await createTopic('foundation-tx-out', 1);
    const groupId = group('foundation-tx-group');
    const producer = kafka.producer({
      ...producerOptions,
      transactionalId: uniqueName('foundation-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();

    // Committed: 5 records and the group's input offset 5, atomically.
    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [0, 1, 2, 3, 4].map((i) => ({ key: 'c', value: `committed-${i}` })) });
    await committed.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }] });
    await committed.commit();

    // Aborted: 5 records and an offset of 10 that must never become visible.
    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [0, 1, 2, 3, 4].map((i) => ({ key: 'a', value: `aborted-${i}` })) });
    await aborted.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '10' }] }] });
    await aborted.abort();

    // A last committed record marks the end, so the reader provably went past the aborted ones.
    const end = await producer.transaction();
    await end.send({ topic: output, messages: [{ key: 'e', value: 'end' }] });
    await end.commit();
    await producer.disconnect();

    const readCommitted = kafka.consumer({ groupId: group('foundation-tx-rc'), readUncommitted: false });
    await readCommitted.connect();
    const seen = await consumeUntil(readCommitted, output, (s) => s.some((m) => m.value === 'end'));
    await readCommitted.disconnect();
    expect(seen.map((m) => m.value)).toEqual(['committed-0', 'committed-1', 'committed-2', 'committed-3', 'committed-4', 'end']);

    // The aborted records were written: a read_uncommitted consumer sees them.
    const readUncommitted = kafka.consumer({ groupId: group('foundation-tx-ru'), readUncommitted: true });
    await readUncommitted.connect();
    const all = await consumeUntil(readUncommitted, output, (s) => s.some((m) => m.value === 'end'));
    await readUncommitted.disconnect();
    expect(all.filter((m) => m.value.startsWith('aborted-')).length).toBe(5);

    // The committed transaction's offset is the group's offset; the aborted one's is not.
    const offset = await waitFor('the committed group offset', async () => {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [input] });
      const o = entry?.partitions.find((p) => p.partition === 0)?.offset;
      return o === '5' || o === '10' ? o : undefined;
    });
    expect(offset).toBe('5');
  });
});
