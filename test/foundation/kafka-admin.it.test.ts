import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { consumeUntil, deleteGroupsQuietly, deleteTopicsIfPresent, kafkaClient, uniqueName } from './support/kafka.ts';

/**
 * The rest of kafkajs 2.2.4 that the runtime builds on, against Kafka 4.x (which dropped
 * many old protocol versions, KIP-896): topic configs for changelogs, partitions,
 * record headers, tombstones and timestamps, offsets by time, deleting records, and
 * consumer-group administration.
 *
 * Under plain Node ESM (tsx), `import { ConfigResourceTypes } from 'kafkajs'` fails: Node
 * cannot see that CommonJS export. The default import works everywhere.
 */
const { CompressionTypes, ConfigResourceTypes, Partitioners } = kafkajs;
const created: string[] = [];
const groups: string[] = [];
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = kafkaClient(uniqueName('foundation-admin'));
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await deleteTopicsIfPresent(admin, created);
  await deleteGroupsQuietly(admin, groups);
  await admin.disconnect();
});

function topicName(prefix: string): string {
  const topic = uniqueName(prefix);
  created.push(topic);
  return topic;
}

/** A unique consumer-group name, deleted in afterAll. */
function group(prefix: string): string {
  const id = uniqueName(prefix);
  groups.push(id);
  return id;
}

describe('kafkajs admin and record features against the local broker', () => {
  it('creates a compacted topic, reads and alters its config, and adds partitions', async () => {
    const topic = topicName('foundation-changelog');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const config = async (name: string) => {
      const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }] });
      return res.resources[0]!.configEntries.find((e) => e.configName === name)?.configValue;
    };
    expect(await config('cleanup.policy')).toBe('compact');
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'min.compaction.lag.ms', value: '60000' }] }] });
    expect(await config('min.compaction.lag.ms')).toBe('60000');

    await admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]!.partitions.length).toBe(4);
  });

  it('round-trips headers, tombstones and explicit timestamps with gzip, and finds offsets by time', async () => {
    const topic = topicName('foundation-records');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: [
        { key: 'a', value: 'first', headers: { trace: 't-1' }, timestamp: '1700000000000' },
        { key: 'a', value: null, timestamp: '1700000001000' },
        { key: 'b', value: 'third', timestamp: '1700000002000' },
      ],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: group('foundation-records') });
    await consumer.connect();
    const seen: { key: string | null; value: string | null; trace?: string; ts: string }[] = [];
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({
            key: message.key?.toString() ?? null,
            value: message.value === null ? null : message.value.toString(),
            ...(message.headers?.trace ? { trace: message.headers.trace.toString() } : {}),
            ts: message.timestamp,
          });
          if (seen.length === 3) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(seen).toEqual([
      { key: 'a', value: 'first', trace: 't-1', ts: '1700000000000' },
      { key: 'a', value: null, ts: '1700000001000' },
      { key: 'b', value: 'third', ts: '1700000002000' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, 1700000001500)).toEqual([{ partition: 0, offset: '2' }]);
  });

  it('deletes records up to an offset (after loading the topic metadata: a kafkajs bug otherwise)', async () => {
    const topic = topicName('foundation-delete');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ value })) });
    await producer.disconnect();

    // kafkajs looks the partition leaders up before it loads the topic's metadata, so on an
    // admin that has not fetched that topic it fails ("Topic metadata not loaded", or
    // "Could not find the leader for the partition"). Fetching the metadata first avoids it.
    const fresh = kafka.admin();
    await fresh.connect();
    await fresh.fetchTopicMetadata({ topics: [topic] });
    await fresh.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] });
    await fresh.disconnect();
    expect(await admin.fetchTopicOffsets(topic)).toEqual([{ partition: 0, offset: '3', high: '3', low: '2' }]);
  });

  it('administers consumer groups: describe, fetch, set and delete offsets', async () => {
    const topic = topicName('foundation-groups');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ value })) });
    await producer.disconnect();

    const groupId = group('foundation-group');
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    // eachBatch with auto-commit: the group's offset is 3 once the three records are processed.
    await consumeUntil(consumer, topic, (s) => s.length >= 3);
    const described = await admin.describeGroups([groupId]);
    await consumer.disconnect();
    expect(described.groups[0]).toMatchObject({ groupId, errorCode: 0 });
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(groupId);
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '3', metadata: null }] }]);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });
    expect((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset).toBe('1');
    expect(await admin.deleteGroups([groupId])).toEqual([{ groupId, errorCode: 0 }]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
  });
});
