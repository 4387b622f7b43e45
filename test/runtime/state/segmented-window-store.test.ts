import { describe, expect, it } from 'vitest';
import { restoreAll } from '../../../runtime/state/batch-restore.ts';
import { ChangeLoggingWindowStore } from '../../../runtime/state/change-logging-window-store.ts';
import { InMemoryKeyValueStore } from '../../../runtime/state/in-memory-key-value-store.ts';
import { inMemoryWindowStore, persistentWindowStore, SegmentedWindowStore } from '../../../runtime/state/segmented-window-store.ts';
import { windowStoreContract } from './window-store.contract.ts';
import { b, RecordingContext, tempStateDir } from './store-test-context.ts';

windowStoreContract('persistentWindowStore (LevelDB)', (o) => persistentWindowStore('w', o));
windowStoreContract('inMemoryWindowStore', (o) => inMemoryWindowStore('w', o));
windowStoreContract('changeLogging(persistentWindowStore)', (o) => new ChangeLoggingWindowStore(persistentWindowStore('w', o)));

const options = { windowSize: 10, retentionMs: 100, segmentIntervalMs: 50 };

describe('SegmentedWindowStore', () => {
  it('deletes expired segments at flush', async () => {
    const substrate = new InMemoryKeyValueStore('w');
    const store = new SegmentedWindowStore(substrate, options);
    await store.init(new RecordingContext('/nonexistent'));
    for (let t = 0; t < 100; t += 10) store.put(b('k'), b(String(t)), t);
    await store.flush();
    expect(substrate.approximateNumEntries()).toBe(10 + 1); // + the observed-time key
    store.put(b('k'), b('x'), 260); // live from 161: segments 0-49, 50-99 and 100-149 all expired
    await store.flush();
    expect(substrate.approximateNumEntries()).toBe(1 + 1);
    expect(store.droppedExpired).toBe(0);
    store.put(b('k'), b('late'), 100);
    expect(store.droppedExpired).toBe(1);
  });

  it('keeps windows and the observed stream time across reopen', async () => {
    const { dir, cleanup } = await tempStateDir();
    const first = persistentWindowStore('w', options);
    await first.init(new RecordingContext(dir));
    first.put(b('k'), b('a'), 40);
    first.put(b('k'), b('b'), 120);
    await first.close();
    const second = persistentWindowStore('w', options);
    await second.init(new RecordingContext(dir));
    expect(second.observedStreamTime).toBe(120);
    expect(second.fetch(b('k'), 40)?.toString()).toBe('a');
    second.put(b('k'), b('c'), 10); // 10 <= 120 - 100: expired
    expect(second.fetch(b('k'), 10)).toBeUndefined();
    await second.close();
    await cleanup();
  });

  it('restores from its changelog to the same windows, with the same expiry', async () => {
    const { dir, cleanup } = await tempStateDir();
    const context = new RecordingContext(dir);
    const logged = new ChangeLoggingWindowStore(inMemoryWindowStore('w', options));
    await logged.init(context);
    context.time = 999;
    for (const [k, t] of [['a', 0], ['b', 30], ['a', 60], ['b', 90], ['a', 150]] as const) logged.put(b(k), b(`${k}${t}`), t);
    logged.put(b('b'), null, 90);
    expect(context.rawChanges.map((c) => c.timestamp)).toEqual([999, 999, 999, 999, 999, 999]);
    const expected: string[] = [];
    for await (const e of logged.all()) expected.push(`${e.key}@${e.windowStart}=${e.value}`);
    expect(expected).toEqual(['a@60=a60', 'a@150=a150']);

    const restored = persistentWindowStore('w', options);
    await restored.init(new RecordingContext(dir));
    await restoreAll(restored, [context.rawChanges.slice(0, 3), context.rawChanges.slice(3)]);
    const got: string[] = [];
    for await (const e of restored.all()) got.push(`${e.key}@${e.windowStart}=${e.value}`);
    expect(got).toEqual(expected);
    expect(restored.observedStreamTime).toBe(150);
    await restored.close();
    await cleanup();
  });
});
