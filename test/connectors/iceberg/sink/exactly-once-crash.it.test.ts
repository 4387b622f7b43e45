import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../../deploy/local/paths.ts';
import { currentSnapshot } from '../../../../connectors/iceberg/metadata/table-metadata.ts';
import { testCatalog } from '../harness.ts';
import { createTopics, kafka, produceJson, unique, waitFor } from '../kafka-support.ts';
import { pyiceberg } from '../pyiceberg.ts';

/** Records produced; the issue asks for 1 million. LAKE_CRASH_RECORDS lowers it for a quick run. */
const RECORDS = Number(process.env.LAKE_CRASH_RECORDS ?? 1_000_000);
const KILLS = 6;
const T0 = Date.UTC(2026, 10, 1);

describe('lake sink exactly-once under kill -9', () => {
  let env: Awaited<ReturnType<typeof testCatalog>>;
  const k = kafka();
  const admin = k.admin();
  const topic = unique('lake-crash');
  const ns = ['crash_it'];
  const table = `events_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'lake-crash-'));
  let child: ChildProcess | undefined;
  const output: string[] = [];

  const startSink = (): ChildProcess => {
    // bin/streamhouse.mjs registers tsx in its own process: kill -9 hits the sink itself, not a wrapper.
    const c = spawn(process.execPath, [join(ROOT, 'bin', 'streamhouse.mjs'), 'sink', 'lake', '--config', join(dir, 'sink.json')], {
      cwd: ROOT,
      env: { ...process.env, STREAMHOUSE_CATALOG_URL: env.catalog.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    c.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    return c;
  };
  const total = async () => {
    const t = await env.client.loadTable(ns, table);
    return Number(t ? currentSnapshot(t.metadata)?.summary['total-records'] ?? 0 : 0);
  };

  beforeAll(async () => {
    env = await testCatalog('crash');
    await admin.connect();
    await createTopics(admin, [topic], 4);
    writeFileSync(
      join(dir, 'sink.json'),
      JSON.stringify({
        groupId: unique('lake-crash-group'),
        commitIntervalMs: 2000,
        rollBytes: 8 * 1024 * 1024,
        tables: [{
          topics: [topic], namespace: ns, table, format: 'json',
          schema: { type: 'record', name: 'Event', fields: [
            { name: 'id', type: 'long' },
            { name: 'user', type: 'string' },
            { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
            { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' } },
          ] },
        }],
      }),
    );
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await env?.client.dropTable(ns, table, true).catch(() => undefined);
    await env?.client.dropNamespace(ns).catch(() => undefined);
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`holds each of ${RECORDS} records exactly once after ${KILLS} kill -9 while writing`, async () => {
    const producing = produceJson(k, topic, 0, RECORDS, (i) => ({ id: i, user: `u${i % 9973}`, amount: `${i % 100000}.${String(i % 100).padStart(2, '0')}`, event_time: T0 + (i % 5) * 86_400_000 + (i % 1000) }), 10_000);
    const seenTotals: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      child = startSink();
      const before = await total();
      // Kill at a random point once this run has committed something past the last total.
      await waitFor(async () => (await total()) > before || before >= RECORDS || child!.exitCode !== null, 180_000, `progress of run ${kill}`);
      expect(child.exitCode, output.join('').slice(-2000)).toBeNull();
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 4000));
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      seenTotals.push(await total());
    }
    await producing;
    child = startSink();
    await waitFor(async () => (await total()) >= RECORDS || child!.exitCode !== null, 900_000, `${RECORDS} records`).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.join('').slice(-3000)}`);
    });
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    const [distinct, snaps] = (await pyiceberg(env.catalog.url, `${ns[0]}.${table}`, [{ op: 'distinct', column: 'id' }, { op: 'snapshots' }])) as [{ count: number; distinct: number }, unknown[]];
    console.log(`[crash test] totals after each kill: ${seenTotals.join(', ')}; snapshots: ${snaps.length}`);
    // Kills landed mid-stream: the committed total was still short of the input each time.
    expect(seenTotals.filter((t) => t < RECORDS).length).toBeGreaterThanOrEqual(5);
    expect(seenTotals.every((t, i) => i === 0 || t >= seenTotals[i - 1]!)).toBe(true);
    expect(distinct).toEqual({ count: RECORDS, distinct: RECORDS });
  }, 1_500_000);
});
