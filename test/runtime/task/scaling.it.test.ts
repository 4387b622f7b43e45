import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess } from './app-process.ts';
import { addCounts, brokers, client, createTopics, deleteTopics, irregularKeys, produceKeys, reached, readCounts, unique } from './streams-support.ts';

/*
 * Acceptance: a stateful aggregation over 6 partitions with 2 instances in separate
 * processes. Start one, add a second mid-stream (it takes over half of the tasks and
 * restores their stores), then stop the first (its tasks move back). The final table
 * equals the expected result exactly.
 */
describe('tasks spread over instances of one application', () => {
  const prefix = unique('task-it-scale');
  let kafka: Kafka;
  let admin: Admin;
  let dirA: string;
  let dirB: string;
  const running: AppProcess[] = [];

  beforeAll(async () => {
    kafka = client();
    admin = kafka.admin();
    await admin.connect();
    dirA = await mkdtemp(join(tmpdir(), 'task-it-scale-a-'));
    dirB = await mkdtemp(join(tmpdir(), 'task-it-scale-b-'));
  });

  afterAll(async () => {
    for (const p of running) await p.crash().catch(() => undefined);
    await deleteTopics(admin, [], prefix);
    await admin.disconnect();
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  });

  it('start one, add a second mid-stream, stop the first: exact final table', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    await createTopics(admin, [input, output], 6);
    const base = { applicationId: `${prefix}-app`, brokers: brokers(), input, output, guarantee: 'exactly_once' as const, commitIntervalMs: 100 };
    const a = new AppProcess({ ...base, stateDir: dirA });
    running.push(a);
    await a.waitFor('RUNNING');
    let expected = await produceKeys(kafka, input, 0, 4000, 500);
    await readCounts(kafka, output, (seen) => seen.size >= 100, 60_000);

    const b = new AppProcess({ ...base, stateDir: dirB });
    running.push(b);
    expected = addCounts(expected, await produceKeys(kafka, input, 4000, 4000, 500));
    await b.waitFor('RUNNING');
    expected = addCounts(expected, await produceKeys(kafka, input, 8000, 4000, 500));
    await readCounts(kafka, output, (seen) => reached(expected, seen), 120_000);

    expect(await a.stop()).toBe(0);
    running.splice(running.indexOf(a), 1);
    expected = addCounts(expected, await produceKeys(kafka, input, 12000, 4000, 500));
    const perKey = await readCounts(kafka, output, (seen) => reached(expected, seen), 120_000);
    expect(irregularKeys(expected, perKey)).toEqual([]);
    const table = new Map([...perKey].map(([k, v]) => [k, v[v.length - 1]]));
    expect(table).toEqual(expected);
    // The second instance ran through two rebalances: joining, and taking the first one's tasks
    // (waited for: its state lines come through a pipe, not with the output records).
    await b.waitFor('RUNNING', 60_000, 2);
    expect(await b.stop()).toBe(0);
    running.splice(running.indexOf(b), 1);
  });
});
