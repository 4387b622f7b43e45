import { describe, expect, it } from 'vitest';
import { COUNT_TASKS, countApp, fenceTaskProducers } from './fenced-count-app.ts';
import { brokerSuite, addCounts, produceKeys, reached, readCounts } from './streams-support.ts';

/*
 * Interactive queries while a task recovers from a failed exactly-once commit: the instance
 * stays RUNNING while the task closes dirty, gets a new producer and restores its store, so
 * the task's partition is missing from localStores() for a while. pendingStores() must name
 * it all that time (callers answer "try again", not "not found"): at every moment of the
 * run, each assigned task is either queryable or pending, never neither.
 */
describe('KafkaStreams.pendingStores', () => {
  const suite = brokerSuite('task-it-pending');

  it('names a recovering task until its store can be queried again', async () => {
    const app = await countApp(suite, 1500, 60);
    const { input, output, applicationId, streams } = app;
    let expected = app.expected;
    const tasks = COUNT_TASKS;
    // Every millisecond while RUNNING: which tasks are queryable, which pending.
    const unaccounted: string[] = [];
    const seenPending = new Set<string>();
    let samples = 0;
    const sample = () => {
      if (streams.state !== 'RUNNING') return;
      samples++;
      const queryable = streams.localStores('counts').map((s) => s.taskId);
      const pending = streams.pendingStores('counts').map((s) => s.taskId);
      for (const id of pending) seenPending.add(id);
      const missing = tasks.filter((id) => queryable.includes(id) === pending.includes(id));
      if (missing.length > 0 && unaccounted.length < 10) unaccounted.push(`queryable [${queryable.join(',')}] pending [${pending.join(',')}]`);
    };
    await streams.start();
    const sampler = setInterval(sample, 1);
    try {
      await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 90_000);
      expect(streams.pendingStores('counts')).toEqual([]);
      // Fence every task's producer (as eos-fencing.it.test.ts), then send more input: each
      // task's next commit fails and the task recovers while the instance stays RUNNING.
      await fenceTaskProducers(suite, applicationId);
      expected = addCounts(expected, await produceKeys(suite.kafka, input, 1500, 1500, 60));
      await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      const recoveries = (await streams.metrics.taskRecoveries.get()).values;
      expect(recoveries.map((v) => v.labels.task).sort()).toEqual(tasks);
    } finally {
      clearInterval(sampler);
      await streams.close();
    }
    expect(unaccounted).toEqual([]);
    expect(samples).toBeGreaterThan(100);
    // The recoveries were seen as pending (503), not as missing (404).
    expect([...seenPending].sort()).toEqual(tasks);
    expect(streams.pendingStores('counts')).toEqual([]); // closed
  });
});
