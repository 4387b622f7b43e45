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

  test('many new keys between scans (merged in batches, with deletes among them) come out in key order', async () => {
    const store = new InMemoryKeyValueStore('kv');
    await store.init(new RecordingContext('/unused'));
    const model = new Map<string, string>();
    // A scrambled order of 20,000 keys (7,919 is prime to 20,000): several batch merges of pending keys.
    for (let i = 0; i < 20_000; i++) {
      const n = (i * 7919) % 20_000;
      const key = `id-${String(n).padStart(5, '0')}`;
      store.put(b(key), b(String(i)));
      model.set(key, String(i));
      if (i % 3 === 0) {
        const gone = `id-${String((i * 7) % 20_000).padStart(5, '0')}`;
        store.delete(b(gone));
        model.delete(gone);
      }
    }
    expect(store.approximateNumEntries()).toBe(model.size);
    const expected = [...model].sort(([a], [c]) => (a < c ? -1 : 1));
    expect(await collect(store.all())).toEqual(expected);
    expect(await collect(store.range(b('id-10000'), b('id-10099')))).toEqual(expected.filter(([k]) => k >= 'id-10000' && k <= 'id-10099'));
  });
});
