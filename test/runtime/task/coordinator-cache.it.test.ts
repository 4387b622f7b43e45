import { describe, expect, it } from 'vitest';
import { installCoordinatorCache } from '../../../runtime/task/internal/coordinator-cache.ts';
import { brokerSuite, createTopics, unique } from './streams-support.ts';

const FIND_COORDINATOR = 10;

/*
 * The coordinator cache on a real broker: a transactional producer committing consumed
 * offsets with its output (as a task does each commit) finds its transaction coordinator
 * and its group's coordinator once, where kafkajs alone asks before every step (four
 * FindCoordinator requests per transaction), and the transactions still commit.
 */
describe('transactional producer with the coordinator cache', () => {
  const suite = brokerSuite('task-it-coordinators');

  it('sends FindCoordinator once per coordinator, not per transaction step', async () => {
    expect(installCoordinatorCache()).toBeDefined();
    const topic = `${suite.prefix}-out`;
    const input = `${suite.prefix}-in`;
    await createTopics(suite.admin, [topic, input], 2);
    const groupId = unique('coordinators-group');
    const producer = suite.kafka.producer({ transactionalId: unique('coordinators-txn'), idempotent: true, maxInFlightRequests: 1 });
    const lookups: number[] = [];
    producer.on(producer.events.REQUEST, (e) => {
      if (e.payload.apiKey === FIND_COORDINATOR) lookups.push(e.payload.apiKey);
    });
    await producer.connect();
    const TRANSACTIONS = 10;
    for (let i = 0; i < TRANSACTIONS; i++) {
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ key: `k${i}`, value: `v${i}` }] });
      await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: String(i + 1) }] }] });
      await txn.commit();
    }
    await producer.disconnect();
    // One for the transaction coordinator (at connect, for the producer id), one for the group's.
    expect(lookups.length).toBe(2);

    const offsets = await suite.admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets[0]!.partitions.find((p) => p.partition === 0)!.offset).toBe(String(TRANSACTIONS));
    const consumer = suite.kafka.consumer({ groupId: unique('coordinators-reader'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${seen.length} of ${TRANSACTIONS} committed records`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value!.toString());
          if (seen.length === TRANSACTIONS) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(seen.sort()).toEqual(Array.from({ length: TRANSACTIONS }, (_, i) => `v${i}`).sort());
    await suite.admin.deleteGroups([groupId]).catch(() => undefined);
  });
});
