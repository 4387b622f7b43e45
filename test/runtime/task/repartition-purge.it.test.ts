import { ConfigResourceTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { LongSerde } from '../../../runtime/serde/long-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import type { KeyValueStore } from '../../../runtime/index.ts';
import { brokerSuite, brokers, client, createTopics, produceKeys } from './streams-support.ts';

const STR = new StringSerde();
const LONG = new LongSerde();
const DAY = 86_400_000;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('repartition topics (real broker)', () => {
  const suite = brokerSuite('task-it-purge');
  const { prefix } = suite;

  it('keep records whatever their timestamp (an older topic is realigned), and are purged up to the committed offsets', async () => {
    const input = `${prefix}-in`;
    const app = `${prefix}-app`;
    const repartition = `${app}-by-first-letter-repartition`;
    await createTopics(suite.admin, [input], 2);
    // As an older version left it: the broker's time retention (7 days).
    await suite.admin.createTopics({ waitForLeaders: true, topics: [{ topic: repartition, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: String(7 * DAY) }] }] });
    const builder = new StreamsBuilder();
    builder
      .stream(input, { keySerde: STR, valueSerde: STR })
      .groupBy((_k, v) => v.slice(0, 2), { keySerde: STR, valueSerde: STR, name: 'by-first-letter' })
      .count({ store: 'per-letter', valueSerde: LONG });
    const streams = new KafkaStreams(builder.build(), {
      applicationId: app,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      stateDir: suite.stateDir,
      httpPort: 0,
      logger: silentLogger,
      repartitionPurgeIntervalMs: 500,
    });
    await streams.start();
    try {
      const { resources } = await suite.admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: repartition, configNames: ['cleanup.policy', 'retention.ms'] }],
        includeSynonyms: false,
      });
      expect(Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e.configValue]))).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '-1' });

      // Records stamped a year ago (a backfill): under time retention the broker would delete
      // them at its next retention check; with retention.ms=-1 only the purge removes them.
      const kafka = client('purge-producer');
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const old = String(Date.now() - 365 * DAY);
      await producer.send({ topic: input, messages: Array.from({ length: 400 }, (_, i) => ({ key: `k${i}`, value: `v${i % 10}`, timestamp: old })) });
      await producer.disconnect();
      await produceKeys(suite.kafka, input, 400, 200, 20);

      // The counts per first two letters, read from the tasks' stores; undefined until every
      // task's store is queryable (a task restoring or moving in a rebalance is not listed).
      const tasks = (await suite.admin.fetchTopicOffsets(repartition)).length;
      const counts = (): Map<string, number> | undefined => {
        const stores = streams.localStores<KeyValueStore<string, number | bigint>>('per-letter');
        if (stores.length < tasks) return undefined;
        const sums = new Map<string, number>();
        for (const { store } of stores) {
          for (let d = 0; d < 10; d++) {
            const v = store.get(`v${d}`);
            if (v !== undefined) sums.set(`v${d}`, (sums.get(`v${d}`) ?? 0) + Number(v));
          }
        }
        return sums;
      };
      const counted = () => [...(counts()?.values() ?? [])].reduce((n, c) => n + c, 0);
      // Every input record has gone through the repartition topic first: a purge between two
      // commits also leaves the low watermarks at the committed offsets, mid-stream.
      await until('all 600 input records are counted', async () => counted() >= 600, 120_000);
      // Each partition is purged up to the group's committed offset: its low watermark
      // reaches that offset (which steps over the transaction markers behind the last record).
      await until('the repartition topic is purged up to the committed offsets', async () => {
        const offsets = await suite.admin.fetchTopicOffsets(repartition);
        const [group] = await suite.admin.fetchOffsets({ groupId: app, topics: [repartition] });
        const committed = new Map(group!.partitions.map((p) => [p.partition, BigInt(p.offset)]));
        return offsets.every((o) => BigInt(o.low) > 0n && BigInt(o.low) === committed.get(o.partition));
      });
      // Nothing was lost or counted twice on the way: the counts add up to the input, key by key.
      const expected = new Map<string, number>();
      for (let i = 0; i < 400; i++) expected.set(`v${i % 10}`, (expected.get(`v${i % 10}`) ?? 0) + 1);
      for (let i = 400; i < 600; i++) expected.set(`v${i}`.slice(0, 2), (expected.get(`v${i}`.slice(0, 2)) ?? 0) + 1);
      let final: Map<string, number> | undefined;
      await until('the stores to be readable', async () => (final = counts()) !== undefined);
      expect(final).toEqual(expected);
    } finally {
      await streams.close();
    }
  });
});
