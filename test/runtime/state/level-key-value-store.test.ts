import { describe, expect, it } from 'vitest';
import { restoreAll } from '../../../runtime/state/batch-restore.ts';
import { LevelKeyValueStore } from '../../../runtime/state/level-key-value-store.ts';
import { StateStoreError } from '../../../runtime/state/state-store-error.ts';
import { b, collect, RecordingContext, tempStateDir } from './store-test-context.ts';

describe('LevelKeyValueStore', () => {
  it('keeps flushed data across close and reopen, and counts it on open', async () => {
    const { dir, cleanup } = await tempStateDir();
    try {
      const first = new LevelKeyValueStore('kv');
      await first.init(new RecordingContext(dir));
      for (let i = 0; i < 300; i++) first.put(b(`k${i}`), b(`v${i}`));
      first.delete(b('k7'));
      await first.close();

      const second = new LevelKeyValueStore('kv');
      await second.init(new RecordingContext(dir));
      expect(second.approximateNumEntries()).toBe(299);
      expect(second.get(b('k299'))?.toString()).toBe('v299');
      expect(second.get(b('k7'))).toBeUndefined();
      await second.close();
    } finally {
      await cleanup();
    }
  });

  it('restores batches straight into LevelDB and recounts at the end', async () => {
    const { dir, cleanup } = await tempStateDir();
    try {
      const store = new LevelKeyValueStore('kv', { writeBufferBytes: 1024 });
      await store.init(new RecordingContext(dir));
      const batches = Array.from({ length: 20 }, (_, batch) =>
        Array.from({ length: 100 }, (_, i) => ({ key: b(`k${i}`), value: i % 10 === 0 && batch === 19 ? null : b(`${batch}`) })),
      );
      expect(await restoreAll(store, batches)).toBe(2000);
      expect(store.approximateNumEntries()).toBe(90);
      expect(store.get(b('k1'))?.toString()).toBe('19');
      expect(store.get(b('k10'))).toBeUndefined();
      await store.close();
    } finally {
      await cleanup();
    }
  });

  it('writes the store under <stateDir>/<name>', async () => {
    const { dir, cleanup } = await tempStateDir();
    try {
      const store = new LevelKeyValueStore('counts');
      await store.init(new RecordingContext(dir));
      store.put(b('a'), b('1'));
      await store.close();
      const other = new LevelKeyValueStore('other', { location: `${dir}/counts` });
      await other.init(new RecordingContext(dir));
      expect(await collect(other.all())).toEqual([['a', '1']]);
      await other.close();
    } finally {
      await cleanup();
    }
  });

  it('refuses use before init with STORE_NOT_OPEN', () => {
    const store = new LevelKeyValueStore('kv');
    expect(() => store.get(b('a'))).toThrow(StateStoreError);
    expect(() => store.get(b('a'))).toThrow('store kv is not open');
  });

  it('fails to open a store another handle holds, with a retriable STORE_IO', async () => {
    const { dir, cleanup } = await tempStateDir();
    try {
      const first = new LevelKeyValueStore('kv');
      await first.init(new RecordingContext(dir));
      const second = new LevelKeyValueStore('kv');
      const error = await second.init(new RecordingContext(dir)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ code: 'STORE_IO', retriable: true, message: `cannot open store kv at ${dir}/kv` });
      await first.close();
    } finally {
      await cleanup();
    }
  });
});

describe('LevelKeyValueStore without an entry count', () => {
  it('returns the current old value from delete after get and put of the same key', async () => {
    const { dir, cleanup } = await tempStateDir();
    const store = new LevelKeyValueStore('kv', { trackCount: false });
    await store.init(new RecordingContext(dir));
    store.put(b('a'), b('1'));
    expect(store.get(b('a'))?.toString()).toBe('1');
    store.put(b('a'), b('2'));
    expect(store.delete(b('a'))?.toString()).toBe('2');
    expect(store.get(b('a'))).toBeUndefined();
    await store.close();
    await cleanup();
  });
});
