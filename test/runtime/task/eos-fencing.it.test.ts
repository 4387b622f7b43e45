import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { countTopology } from '../../fixtures/count-topology.ts';
import { brokerSuite, addCounts, brokers, createTopics, irregularKeys, produceKeys, reached, readCounts } from './streams-support.ts';

/*
 * A running task's transactional producer is fenced by another producer with the same
 * transactional id (a zombie's successor). Its next commit fails; the task must recreate
 * its producer, restore its store and reprocess from the last committed offsets: the
 * output stays exactly 1..n per key, nothing skipped, nothing doubled.
 */
describe('exactly_once recovers from a fenced producer', () => {
  const suite = brokerSuite('task-it-fence');
  const { prefix } = suite;

  it('recreates the producer and reprocesses from the committed offsets', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    const applicationId = `${prefix}-app`;
    await createTopics(suite.admin, [input, output], 3);
    let expected = await produceKeys(suite.kafka, input, 0, 3000, 150);
    const streams = new KafkaStreams(countTopology({ input, output }), {
      applicationId,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      stateDir: suite.stateDir,
      httpEnabled: false,
      logger: silentLogger,
    });
    await streams.start();
    try {
      await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 90_000);
      // Fence every task's producer, then send more input: every task has to commit again,
      // finds its producer fenced and recovers. (Producing while fencing let a task finish
      // its share before its fence, leaving it nothing to commit and so no recovery.)
      for (const taskId of ['0_0', '0_1', '0_2']) {
        const zombieKiller = suite.kafka.producer({ transactionalId: `${applicationId}-${taskId}`, idempotent: true, maxInFlightRequests: 1 });
        await zombieKiller.connect();
        const txn = await zombieKiller.transaction();
        await txn.abort();
        await zombieKiller.disconnect();
      }
      expected = addCounts(expected, await produceKeys(suite.kafka, input, 3000, 3000, 150));
      const perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);
      expect(streams.state).toBe('RUNNING');
      const recoveries = (await streams.metrics.taskRecoveries.get()).values;
      expect(recoveries.map((v) => v.labels.task).sort()).toEqual(['0_0', '0_1', '0_2']);
    } finally {
      await streams.close();
    }
  });
});
