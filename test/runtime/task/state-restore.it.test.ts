import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess } from './app-process.ts';
import { addCounts, brokers, client, createTopics, deleteTopics, irregularKeys, produceKeys, reached, readCounts, unique } from './streams-support.ts';

/*
 * Acceptance: deleting the local state directory and restarting restores the store from
 * the changelog; counts continue where they were (a store that was not restored would
 * start again at 1).
 */
describe('restoring a deleted state directory from the changelog', () => {
  const prefix = unique('task-it-restore');
  let kafka: Kafka;
  let admin: Admin;
  let stateDir: string;
  const running: AppProcess[] = [];

  beforeAll(async () => {
    kafka = client();
    admin = kafka.admin();
    await admin.connect();
    stateDir = await mkdtemp(join(tmpdir(), 'task-it-restore-'));
  });

  afterAll(async () => {
    for (const p of running) await p.crash().catch(() => undefined);
    await deleteTopics(admin, [], prefix);
    await admin.disconnect();
    await rm(stateDir, { recursive: true, force: true });
  });

  for (const guarantee of ['at_least_once', 'exactly_once'] as const) {
    it(`results stay correct under ${guarantee}`, async () => {
      const input = `${prefix}-${guarantee}-in`;
      const output = `${prefix}-${guarantee}-out`;
      await createTopics(admin, [input, output], 6);
      const config = { applicationId: `${prefix}-${guarantee}-app`, brokers: brokers(), input, output, guarantee, stateDir, commitIntervalMs: 200 };
      const first = new AppProcess(config);
      running.push(first);
      await first.waitFor('RUNNING');
      let expected = await produceKeys(kafka, input, 0, 3000, 250);
      await readCounts(kafka, output, (seen) => reached(expected, seen), 90_000);
      expect(await first.stop()).toBe(0);
      running.pop();
      const appDir = join(stateDir, config.applicationId);
      expect((await readdir(appDir)).length).toBe(6);
      await rm(appDir, { recursive: true, force: true });

      const second = new AppProcess(config);
      running.push(second);
      await second.waitFor('RUNNING');
      // Every task restored its whole changelog partition: restored == total > 0.
      while (second.httpPort === undefined) await new Promise((r) => setTimeout(r, 100));
      const metrics = await (await fetch(`http://127.0.0.1:${second.httpPort}/metrics`)).text();
      const restored = [...metrics.matchAll(/^streamhouse_restore_records_restored\{[^}]*task="(\d+_\d+)"[^}]*\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
      const totals = [...metrics.matchAll(/^streamhouse_restore_records_total\{[^}]*task="(\d+_\d+)"[^}]*\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
      expect(restored).toHaveLength(6);
      expect(restored).toEqual(totals);
      expect(totals.every(([, n]) => (n as number) > 0)).toBe(true);
      expected = addCounts(expected, await produceKeys(kafka, input, 3000, 3000, 250));
      const atLeast = guarantee === 'at_least_once';
      const perKey = await readCounts(kafka, output, (seen) => reached(expected, seen, atLeast), 90_000);
      expect(irregularKeys(expected, perKey, atLeast)).toEqual([]);
      expect(await second.stop()).toBe(0);
      running.pop();
    });
  }
});
