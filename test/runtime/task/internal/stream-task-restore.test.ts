import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ManualClock, Serdes, StreamsBuilder } from '../../../../runtime/index.ts';
import { restoreAll } from '../../../../runtime/state/batch-restore.ts';
import type { OutgoingRecord, RawRecord } from '../../../../runtime/task/internal/record-collector.ts';
import { StreamTask } from '../../../../runtime/task/internal/stream-task.ts';

const S = Serdes.String();
const L = Serdes.Long();
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function countTopology(storeType: 'inMemory' | 'persistent') {
  const builder = new StreamsBuilder();
  builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'counts', storeType }).toStream().to('out', { valueSerde: L });
  return builder.build().compile({ applicationId: 'restore' });
}

function newTask(storeType: 'inMemory' | 'persistent', sent: OutgoingRecord[], stateDir: string): StreamTask {
  const compiled = countTopology(storeType);
  return new StreamTask({
    topology: compiled,
    subtopology: compiled.subtopologies[0]!,
    partition: 1,
    collector: { send: (r) => sent.push(r) },
    stateDir,
    clock: new ManualClock(0),
  });
}

const raw = (offset: number, key: string): RawRecord => ({
  topic: 'in',
  partition: 1,
  offset: String(offset),
  key: Buffer.from(key),
  value: Buffer.from('x'),
  timestamp: offset,
  headers: {},
});

describe.each(['inMemory', 'persistent'] as const)('a task restored from its changelog (%s store)', (storeType) => {
  test('continues counting where the changelog left off', async () => {
    const first: OutgoingRecord[] = [];
    const dir1 = mkdtempSync(join(tmpdir(), 'restore-1-'));
    const dir2 = mkdtempSync(join(tmpdir(), 'restore-2-'));
    dirs.push(dir1, dir2);
    const task1 = newTask(storeType, first, dir1);
    await task1.init();
    ['a', 'b', 'a', 'a'].forEach((k, i) => task1.process(raw(i, k)));
    await task1.commit();
    await task1.close();
    const changelog = first.filter((r) => r.topic === 'restore-counts-changelog');
    expect(changelog.every((r) => r.partition === 1)).toBe(true);

    // A new instance on an empty state folder: stores first, then the changelog, then processing.
    const second: OutgoingRecord[] = [];
    const task2 = newTask(storeType, second, dir2);
    await task2.initStores();
    const { store, changelogTopic } = task2.stores.get('counts')!;
    expect(changelogTopic).toBe('restore-counts-changelog');
    const restored = await restoreAll(store, [changelog.map((r) => ({ key: r.key!, value: r.value }))]);
    expect(restored).toBe(changelog.length);
    await task2.initProcessors();
    task2.process(raw(4, 'a'));
    task2.process(raw(5, 'b'));
    task2.writeDownCaches(); // the cached count forwards what it writes down
    const out = second.filter((r) => r.topic === 'out').map((r) => [r.key!.toString(), L.deserialize('out', r.value)]);
    expect(out).toEqual([
      ['a', 4],
      ['b', 2],
    ]);
    await task2.commit();
    await task2.close();
  });
});
