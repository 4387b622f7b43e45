import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess } from './app-process.ts';
import { addCounts, brokers, client, createTopics, deleteTopics, irregularKeys, produceKeys, reached, readCounts, unique } from './streams-support.ts';

/*
 * Acceptance: exactly-once under crashes. An aggregation (count per key, persistent
 * store, changelog) runs with exactly_once in a separate process; it is killed with
 * SIGKILL at random points 5 times while input keeps arriving, and restarted each time.
 * The output read with read_committed must hold exactly 1, 2, ..., n for every key.
 */
describe('exactly_once survives kill -9', () => {
  const prefix = unique('task-it-eos');
  let kafka: Kafka;
  let admin: Admin;
  let stateDir: string;
  const running: AppProcess[] = [];

  beforeAll(async () => {
    kafka = client();
    admin = kafka.admin();
    await admin.connect();
    stateDir = await mkdtemp(join(tmpdir(), 'task-it-eos-'));
  });

  afterAll(async () => {
    for (const p of running) await p.crash().catch(() => undefined);
    await deleteTopics(admin, [], prefix);
    await admin.disconnect();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('no duplicates and no gaps after 5 crashes', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    await createTopics(admin, [input, output], 6);
    const config = { applicationId: `${prefix}-app`, brokers: brokers(), input, output, guarantee: 'exactly_once' as const, stateDir, commitIntervalMs: 100 };
    let expected = new Map<string, number>();
    const chunk = 2000;
    let produced = 0;
    for (let crash = 0; crash < 5; crash++) {
      const app = new AppProcess(config);
      running.push(app);
      await app.waitFor('RUNNING');
      expected = addCounts(expected, await produceKeys(kafka, input, produced, chunk, 300));
      produced += chunk;
      // Crash at a random point of the processing of this chunk (0.2 .. 2.2 s into it).
      await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 2000)));
      await app.crash();
      running.pop();
    }
    const last = new AppProcess(config);
    running.push(last);
    await last.waitFor('RUNNING');
    const perKey = await readCounts(kafka, output, (seen) => reached(expected, seen), 180_000);
    expect(irregularKeys(expected, perKey)).toEqual([]);
    expect(await last.stop()).toBe(0);
    running.pop();
  });
});
