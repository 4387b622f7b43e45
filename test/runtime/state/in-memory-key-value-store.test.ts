import { describe, expect, test } from 'vitest';
import { InMemoryKeyValueStore } from '../../../runtime/state/in-memory-key-value-store.ts';
import { keyValueStoreContract } from './key-value-store.contract.ts';
import { b, collect, RecordingContext } from './store-test-context.ts';

keyValueStoreContract('InMemoryKeyValueStore (own file)', () => new InMemoryKeyValueStore('kv'));

describe('InMemoryKeyValueStore', () => {
  test('is not persistent and starts empty after close (it is restored from its changelog)', async () => {
    const store = new InMemoryKeyValueStore('kv');
    expect(store.persistent).toBe(false);
    await store.init(new RecordingContext('/unused'));
    store.put(b('a'), b('1'));
    await store.close();
    expect(store.get(b('a'))).toBeUndefined();
    expect(store.approximateNumEntries()).toBe(0);
  });

  test('keeps key order right when keys are added after a scan', async () => {
    const store = new InMemoryKeyValueStore('kv');
    await store.init(new RecordingContext('/unused'));
    store.put(b('m'), b('1'));
    expect((await collect(store.all())).map(([k]) => k)).toEqual(['m']);
    store.put(b('a'), b('2'));
    store.put(b('z'), b('3'));
    store.put(b('m'), b('4'));
    expect(await collect(store.all())).toEqual([
      ['a', '2'],
      ['m', '4'],
      ['z', '3'],
    ]);
  });
});
