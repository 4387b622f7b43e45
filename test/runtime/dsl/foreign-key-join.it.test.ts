import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { JsonSerde } from '../../../runtime/serde/json-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { brokers, client, createTopics, deleteTopics, unique } from '../task/streams-support.ts';

/*
 * A foreign-key join on the real broker: its two repartition topics form a cycle
 * (registration written by the left side and read by the right, responses the other way),
 * which internal topic creation must size: the registration topic as the right table's
 * topic, which its reader joins, and the response topic as the left one's. Orders on 3
 * partitions find customers on 3, and orders on 2 find customers on 5.
 */
const STR = new StringSerde();
const ORDER = new JsonSerde<{ customer: string; total: number }>();

describe.each([
  { ordersPartitions: 3, customersPartitions: 3 },
  { ordersPartitions: 2, customersPartitions: 5 },
])('foreign-key table join (real broker), orders on $ordersPartitions partitions, customers on $customersPartitions', ({ ordersPartitions, customersPartitions }) => {
  const prefix = unique('fk-it');
  const orders = `${prefix}-orders`;
  const customers = `${prefix}-customers`;
  const output = `${prefix}-out`;
  const appId = `${prefix}-app`;
  let kafka: Kafka;
  let admin: Admin;
  let stateDir: string;

  beforeAll(async () => {
    kafka = client('fk-it');
    admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [orders, output], ordersPartitions);
    await createTopics(admin, [customers], customersPartitions);
    stateDir = await mkdtemp(join(tmpdir(), 'fk-it-'));
  });

  afterAll(async () => {
    await deleteTopics(admin, [orders, customers, output], appId);
    await admin.disconnect();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('joins every order with its customer across partitions', async () => {
    const b = new StreamsBuilder();
    const o = b.table(orders, { keySerde: STR, valueSerde: ORDER });
    const c = b.table(customers, { keySerde: STR, valueSerde: STR });
    o.join(
      c,
      (order) => order.customer,
      (order, name) => `${order.total}:${name}`,
      { valueSerde: STR },
    )
      .toStream()
      .to(output, { keySerde: STR, valueSerde: STR });
    const streams = new KafkaStreams(b.build(), {
      applicationId: appId,
      bootstrapServers: brokers(),
      commitIntervalMs: 100,
      stateDir,
      httpPort: 0,
      logger: silentLogger,
    });
    await streams.start();
    try {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: customers,
        messages: Array.from({ length: 20 }, (_, i) => ({ key: `c${i}`, value: `name${i}` })),
      });
      await producer.send({
        topic: orders,
        messages: Array.from({ length: 60 }, (_, i) => ({
          key: `o${i}`,
          value: JSON.stringify({ customer: `c${i % 20}`, total: i }),
        })),
      });
      await producer.disconnect();
      const latest = new Map<string, string>();
      const consumer = kafka.consumer({ groupId: unique('fk-it-reader'), maxWaitTimeInMs: 200 });
      await consumer.connect();
      await consumer.subscribe({ topic: output, fromBeginning: true });
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      await consumer.run({
        eachMessage: async ({ message }) => {
          latest.set(message.key!.toString(), message.value!.toString());
          if (latest.size >= 60) done();
        },
      });
      const timer = setTimeout(done, 60_000);
      await finished;
      clearTimeout(timer);
      await consumer.disconnect();
      const want = new Map(Array.from({ length: 60 }, (_, i) => [`o${i}`, `${i}:name${i % 20}`]));
      expect(latest).toEqual(want);
      const internal = (await admin.listTopics()).filter((t) => t.startsWith(appId) && t.endsWith('repartition'));
      expect(internal).toHaveLength(2);
      const meta = await admin.fetchTopicMetadata({ topics: internal });
      const partitionsOf = (suffix: string) => meta.topics.find((t) => t.name.endsWith(suffix))?.partitions.length;
      expect(partitionsOf('-subscription-registration-repartition')).toBe(customersPartitions);
      expect(partitionsOf('-subscription-response-repartition')).toBe(ordersPartitions);
    } finally {
      await streams.close();
    }
  });
});
