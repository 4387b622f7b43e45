import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { brokerSuite, brokers, createTopics, produceKeys, unique } from './streams-support.ts';

const STR = new StringSerde();

/** Reads `topic` (read_committed) until `count` records arrived; returns the partition of each key. */
async function readPartitions(kafka: Kafka, topic: string, count: number): Promise<Map<string, Set<number>>> {
  const consumer = kafka.consumer({ groupId: unique('task-it-part-reader'), maxWaitTimeInMs: 200 });
  const seen = new Map<string, Set<number>>();
  let n = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const key = message.key!.toString();
      seen.set(key, (seen.get(key) ?? new Set()).add(partition));
      if (++n >= count) finish();
    },
  });
  const timer = setTimeout(finish, 60_000);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return seen;
}

describe('a sink with a custom partitioner on KafkaStreams (real broker)', () => {
  const suite = brokerSuite('task-it-part');
  const { prefix } = suite;

  it('gets the sink topic partition count and writes each record where the partitioner says', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    await createTopics(suite.admin, [input], 2);
    await createTopics(suite.admin, [output], 5);
    await produceKeys(suite.kafka, input, 0, 200, 20); // keys k0..k19
    const counts: number[] = [];
    const builder = new StreamsBuilder();
    builder.stream(input, { keySerde: STR, valueSerde: STR }).to(output, {
      partitioner: (_topic, key: string, _value, numPartitions) => {
        counts.push(numPartitions);
        return Number(key.slice(1)) % numPartitions;
      },
    });
    const streams = new KafkaStreams(builder.build(), {
      applicationId: `${prefix}-app`,
      bootstrapServers: brokers(),
      processingGuarantee: 'at_least_once',
      commitIntervalMs: 200,
      stateDir: suite.stateDir,
      httpPort: 0,
      logger: silentLogger,
    });
    await streams.start();
    try {
      const seen = await readPartitions(suite.kafka, output, 200);
      expect(seen.size).toBe(20);
      for (const [key, partitions] of seen) expect([...partitions]).toEqual([Number(key.slice(1)) % 5]);
      expect(new Set(counts)).toEqual(new Set([5]));
      expect(streams.state).toBe('RUNNING');
    } finally {
      await streams.close();
    }
  });
});
