import { countTopology } from '../../fixtures/count-topology.ts';
import { createTopics, produceKeys, suiteStreams, type BrokerSuite } from './streams-support.ts';

/** The tasks of the count application on its 3-partition input. */
export const COUNT_TASKS = ['0_0', '0_1', '0_2'];

/**
 * The exactly-once count application of the recovery tests, not started: a 3-partition input
 * already holding `records` records over `keys` keys (`expected` counts them), its output topic.
 */
export async function countApp(suite: BrokerSuite, records: number, keys: number) {
  const input = `${suite.prefix}-in`;
  const output = `${suite.prefix}-out`;
  const applicationId = `${suite.prefix}-app`;
  await createTopics(suite.admin, [input, output], COUNT_TASKS.length);
  const expected = await produceKeys(suite.kafka, input, 0, records, keys);
  const streams = suiteStreams(suite, countTopology({ input, output }), applicationId);
  return { input, output, applicationId, streams, expected };
}

/**
 * Fences the transactional producer of each task, as a zombie's successor would: a producer
 * with the same transactional id initializes (bumping the epoch) and aborts. Each task's
 * next commit then fails and the task recovers.
 */
export async function fenceTaskProducers(suite: BrokerSuite, applicationId: string, taskIds = COUNT_TASKS): Promise<void> {
  for (const taskId of taskIds) {
    const zombieKiller = suite.kafka.producer({ transactionalId: `${applicationId}-${taskId}`, idempotent: true, maxInFlightRequests: 1 });
    await zombieKiller.connect();
    const txn = await zombieKiller.transaction();
    await txn.abort();
    await zombieKiller.disconnect();
  }
}
