import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { JsonSerde } from '../../../runtime/serde/json-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { brokerSuite, brokers, createTopics, readUntil } from '../task/streams-support.ts';

/*
 * A foreign-key join whose right table is made by groupBy().aggregate(), on the real
 * broker: orders (a table on 2 partitions) join customers aggregated from profile events
 * on 5 partitions. The right side's task reads the aggregate's repartition topic (sized
 * by its writer: 5) beside the registration topic (written by the orders side: 2), a group
 * of internal topics alone; both must have 5 partitions, or a registration keyed c lands
 * on another partition number than the customer c and never finds it.
 */
const STR = new StringSerde();
const ORDER = new JsonSerde<{ customer: string; total: number }>();
const PROFILE = new JsonSerde<{ customer: string; name: string }>();

describe('foreign-key join onto an aggregated table (real broker), orders on 2 partitions, profile events on 5', () => {
  const suite = brokerSuite('fk-agg-it');
  const { prefix } = suite;

  it('joins every order with its customer, the registration topic co-partitioned with the aggregate’s input', async () => {
    const [orders, profiles, output, appId] = ['orders', 'profiles', 'out', 'app'].map((s) => `${prefix}-${s}`) as [string, string, string, string];
    await createTopics(suite.admin, [orders, output], 2);
    await createTopics(suite.admin, [profiles], 5);
    const b = new StreamsBuilder();
    const customers = b
      .stream(profiles, { keySerde: STR, valueSerde: PROFILE })
      .groupBy((_event, profile) => profile.customer, { keySerde: STR, valueSerde: PROFILE, name: 'by-customer' })
      .aggregate(() => '', (_customer, profile) => profile.name, { store: 'customers', valueSerde: STR });
    b.table(orders, { keySerde: STR, valueSerde: ORDER })
      .join(customers, (order) => order.customer, (order, name) => `${order.total}:${name}`, { valueSerde: STR })
      .toStream()
      .to(output, { keySerde: STR, valueSerde: STR });
    const streams = new KafkaStreams(b.build(), { applicationId: appId, bootstrapServers: brokers(), commitIntervalMs: 100, stateDir: suite.stateDir, httpPort: 0, logger: silentLogger });
    await streams.start();
    try {
      const producer = suite.kafka.producer();
      await producer.connect();
      await producer.send({ topic: profiles, messages: Array.from({ length: 20 }, (_, i) => ({ key: `e${i}`, value: JSON.stringify({ customer: `c${i}`, name: `name${i}` }) })) });
      await producer.send({ topic: orders, messages: Array.from({ length: 60 }, (_, i) => ({ key: `o${i}`, value: JSON.stringify({ customer: `c${i % 20}`, total: i }) })) });
      await producer.disconnect();
      const latest = await readLatest(suite.kafka, output, 60, 60_000);
      expect(latest).toEqual(new Map(Array.from({ length: 60 }, (_, i) => [`o${i}`, `${i}:name${i % 20}`])));
      const internal = (await suite.admin.listTopics()).filter((t) => t.startsWith(appId) && t.endsWith('repartition'));
      const meta = await suite.admin.fetchTopicMetadata({ topics: internal });
      const partitionsOf = (suffix: string) => meta.topics.find((t) => t.name.endsWith(suffix))?.partitions.length;
      expect([partitionsOf('-by-customer-repartition'), partitionsOf('-subscription-registration-repartition'), partitionsOf('-subscription-response-repartition')]).toEqual([5, 5, 2]);
    } finally {
      await streams.close();
    }
  });
});

/** The latest value per key on `topic`, read until `keys` keys have a value or `timeoutMs` passes. */
async function readLatest(kafka: ReturnType<typeof brokerSuite>['kafka'], topic: string, keys: number, timeoutMs: number): Promise<Map<string, string>> {
  const latest = new Map<string, string>();
  await readUntil(kafka, topic, (m) => latest.set(m.key!.toString(), m.value!.toString()).size >= keys, timeoutMs);
  return latest;
}
