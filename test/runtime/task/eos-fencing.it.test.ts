import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { countTopology } from '../../fixtures/count-topology.ts';
import { addCounts, brokers, client, createTopics, deleteTopics, irregularKeys, produceKeys, reached, readCounts, unique } from './streams-support.ts';

/*
 * A running task's transactional producer is fenced by another producer with the same
 * transactional id (a zombie's successor). Its next commit fails; the task must recreate
 * its producer, restore its store and reprocess from the last committed offsets: the
 * output stays exactly 1..n per key, nothing skipped, nothing doubled.
 */
describe('exactly_once recovers from a fenced producer', () => {
  const prefix = unique('task-it-fence');
  let kafka: Kafka;
  let admin: Admin;
  let stateDir: string;

  beforeAll(async () => {
    kafka = client();
    admin = kafka.admin();
    await admin.connect();
    stateDir = await mkdtemp(join(tmpdir(), 'task-it-fence-'));
  });

  afterAll(async () => {
    await deleteTopics(admin, [], prefix);
    await admin.disconnect();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('recreates the producer and reprocesses from the committed offsets', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    const applicationId = `${prefix}-app`;
    await createTopics(admin, [input, output], 3);
    let expected = await produceKeys(kafka, input, 0, 3000, 150);
    const streams = new KafkaStreams(countTopology({ input, output }), {
      applicationId,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      stateDir,
      httpEnabled: false,
      logger: silentLogger,
    });
    await streams.start();
    try {
      await readCounts(kafka, output, (seen) => reached(expected, seen), 90_000);
      // Fence every task's producer, then send more input: every task has to commit again,
      // finds its producer fenced and recovers. (Producing while fencing let a task finish
      // its share before its fence, leaving it nothing to commit and so no recovery.)
      for (const taskId of ['0_0', '0_1', '0_2']) {
        const zombieKiller = kafka.producer({ transactionalId: `${applicationId}-${taskId}`, idempotent: true, maxInFlightRequests: 1 });
        await zombieKiller.connect();
        const txn = await zombieKiller.transaction();
        await txn.abort();
        await zombieKiller.disconnect();
      }
      expected = addCounts(expected, await produceKeys(kafka, input, 3000, 3000, 150));
      const perKey = await readCounts(kafka, output, (seen) => reached(expected, seen), 120_000);
      expect(irregularKeys(expected, perKey)).toEqual([]);
      expect(streams.state).toBe('RUNNING');
      const recoveries = (await streams.metrics.taskRecoveries.get()).values;
      expect(recoveries.map((v) => v.labels.task).sort()).toEqual(['0_0', '0_1', '0_2']);
    } finally {
      await streams.close();
    }
  });
});
