import { describe, expect, it } from 'vitest';
import { COUNT_TASKS, countApp, fenceTaskProducers } from './fenced-count-app.ts';
import { brokerSuite, addCounts, irregularKeys, produceKeys, reached, readCounts } from './streams-support.ts';

/*
 * A running task's transactional producer is fenced by another producer with the same
 * transactional id (a zombie's successor). Its next commit fails; the task must recreate
 * its producer, restore its store and reprocess from the last committed offsets: the
 * output stays exactly 1..n per key, nothing skipped, nothing doubled.
 */
describe('exactly_once recovers from a fenced producer', () => {
  const suite = brokerSuite('task-it-fence');

  it('recreates the producer and reprocesses from the committed offsets', async () => {
    const app = await countApp(suite, 3000, 150);
    const { input, output, applicationId, streams } = app;
    let expected = app.expected;
    await streams.start();
    try {
      await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 90_000);
      // Fence every task's producer, then send more input: every task has to commit again,
      // finds its producer fenced and recovers. (Producing while fencing let a task finish
      // its share before its fence, leaving it nothing to commit and so no recovery.)
      await fenceTaskProducers(suite, applicationId);
      expected = addCounts(expected, await produceKeys(suite.kafka, input, 3000, 3000, 150));
      const perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);
      expect(streams.state).toBe('RUNNING');
      const recoveries = (await streams.metrics.taskRecoveries.get()).values;
      expect(recoveries.map((v) => v.labels.task).sort()).toEqual(COUNT_TASKS);
    } finally {
      await streams.close();
    }
  });
});
