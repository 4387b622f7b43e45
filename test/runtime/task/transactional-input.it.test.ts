import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { countTopology } from '../../fixtures/count-topology.ts';
import { addCounts, brokerSuite, brokers, createTopics, irregularKeys, readCounts, reached, unique } from './streams-support.ts';

/*
 * Input written in transactions, as every topology's output (and so every repartition topic)
 * is under exactly-once: each transaction leaves a marker, an aborted one its records too,
 * and a read_committed consumer sees neither. Only committed records are counted, and once
 * the application has caught up its committed offsets are the partitions' end offsets, as
 * Kafka Streams commits the consumer's position: a lag monitor reads 0, a purge of the
 * input reaches its end. Here the partitions end with an aborted transaction's records and
 * its marker, which no record follows.
 */
describe('KafkaStreams on transactional input', () => {
  const suite = brokerSuite('task-it-txn-input');
  const { prefix } = suite;

  it('counts only committed records and commits offsets up to the end, past markers and aborted records', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    const PARTITIONS = 3;
    await createTopics(suite.admin, [input, output], PARTITIONS);
    const producer = suite.kafka.producer({ transactionalId: unique('txn-input'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let expected = new Map<string, number>();
    let n = 0;
    const transaction = async (count: number, outcome: 'commit' | 'abort') => {
      const txn = await producer.transaction();
      const keys = Array.from({ length: count }, () => `k${n++ % 30}`);
      await txn.send({ topic: input, messages: keys.map((key, i) => ({ key, value: `v${n - count + i}` })) });
      if (outcome === 'abort') return txn.abort();
      await txn.commit();
      expected = addCounts(expected, new Map(keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())));
    };
    const applicationId = `${prefix}-app`;
    const streams = new KafkaStreams(countTopology({ input, output }), {
      applicationId, bootstrapServers: brokers(), processingGuarantee: 'exactly_once', stateDir: join(suite.stateDir, 'a'), httpPort: 0, logger: silentLogger,
    });
    const committedAtEnd = async (): Promise<string> => {
      const [committed] = await suite.admin.fetchOffsets({ groupId: applicationId, topics: [input] });
      const ends = await suite.admin.fetchTopicOffsets(input);
      return ends.map((e) => `${e.partition}: committed ${committed!.partitions.find((p) => p.partition === e.partition)?.offset} of ${e.high}`).sort().join(', ');
    };
    const caughtUp = (status: string) => status.split(', ').every((p) => /committed (\d+) of \1$/.test(p));
    try {
      await transaction(300, 'commit');
      await transaction(60, 'abort');
      await transaction(300, 'commit');
      await streams.start();
      let perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);
      await until(async () => caughtUp(await committedAtEnd()), committedAtEnd, 'offsets committed up to the end (before the last transactions)');

      // While it runs: committed, then aborted last.
      await transaction(150, 'commit');
      await transaction(45, 'abort');
      perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);
      await until(async () => caughtUp(await committedAtEnd()), committedAtEnd, 'offsets committed up to the end (after an aborted transaction last)');
      // The ends lie past the committed records: markers and aborted records were stepped over.
      const ends = await suite.admin.fetchTopicOffsets(input);
      expect(ends.reduce((sum, e) => sum + Number(e.high), 0)).toBeGreaterThan(300 + 300 + 150 + 60 + 45);
    } finally {
      await producer.disconnect();
      await streams.close();
    }
  });
});

/** Polls `check` every 250 ms until it holds; fails with `status()` after 120 s. */
async function until(check: () => Promise<boolean>, status: () => Promise<string>, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${await status()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
