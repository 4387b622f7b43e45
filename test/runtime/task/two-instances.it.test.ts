import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { ConfigError } from '../../../runtime/errors/runtime-errors.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { countTopology } from '../../fixtures/count-topology.ts';
import { addCounts, brokerSuite, brokers, createTopics, irregularKeys, produceKeys, reached, readCounts } from './streams-support.ts';

/*
 * Two KafkaStreams instances of one application in one Node process (as a Kafka Streams
 * user runs two instances in one JVM): each is its own group member, both reach RUNNING
 * with a share of the tasks, the counts stay exactly 1..n per key, and closing one moves
 * all of its tasks to the other. A third instance on the state folder of a running one is
 * refused at start, as in Kafka Streams.
 */
describe('two KafkaStreams instances in one process', () => {
  const suite = brokerSuite('task-it-two');
  const { prefix } = suite;

  it('split the tasks, count exactly once, and one takes over when the other closes', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    await createTopics(suite.admin, [input, output], 6);
    let expected = await produceKeys(suite.kafka, input, 0, 3000, 300);
    // Each instance has its own state folder (a second instance on one folder is refused).
    const instance = (name: string): KafkaStreams =>
      new KafkaStreams(countTopology({ input, output }), {
        applicationId: `${prefix}-app`,
        bootstrapServers: brokers(),
        processingGuarantee: 'exactly_once',
        stateDir: join(suite.stateDir, name),
        httpPort: 0,
        sessionTimeoutMs: 6_000,
        logger: silentLogger,
      });
    const a = instance('a');
    const b = instance('b');
    const tasksOf = (s: KafkaStreams): string[] => s.localStores('counts').map((t) => t.taskId).sort();
    const status = (): string => `first ${a.state} [${tasksOf(a).join(',')}], second ${b.state} [${tasksOf(b).join(',')}]`;
    try {
      // The first instance runs all 6 tasks and fills their changelogs; the second then
      // joins and restores the stores of the tasks it takes over.
      await a.start();
      await until('the first instance RUNNING with all 6 tasks', () => a.state === 'RUNNING' && tasksOf(a).length === 6, status);
      let perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);
      const sameFolder = instance('a');
      const refused = await sameFolder.start().catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).message).toBe(
        `invalid config 'stateDir': ${join(suite.stateDir, 'a', `${prefix}-app`)} is used by another running KafkaStreams instance of '${prefix}-app' in this process; give each instance its own stateDir`,
      );
      expect(sameFolder.state).toBe('CREATED');
      await b.start();
      await until('both RUNNING with the 6 tasks split between them', () => {
        const [ta, tb] = [tasksOf(a), tasksOf(b)];
        return a.state === 'RUNNING' && b.state === 'RUNNING' && ta.length > 0 && tb.length > 0 && new Set([...ta, ...tb]).size === 6 && ta.length + tb.length === 6;
      }, status);
      expected = addCounts(expected, await produceKeys(suite.kafka, input, 3000, 3000, 300));
      perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);

      // Closing the first moves its tasks (and their stores, restored again) to the second.
      await a.close();
      await until('the second instance RUNNING with all 6 tasks', () => b.state === 'RUNNING' && tasksOf(b).length === 6, status);
      expected = addCounts(expected, await produceKeys(suite.kafka, input, 6000, 3000, 300));
      perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);
      expect(new Map([...perKey].map(([k, v]) => [k, v[v.length - 1]]))).toEqual(expected);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

/** Polls `check` every 100 ms until it holds; fails naming `what` and the `status` after `timeoutMs`. */
async function until(what: string, check: () => boolean, status: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not ${what} after ${timeoutMs} ms: ${status()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
