import { describe, expect, it } from 'vitest';
import { restoreAll } from '../../../runtime/state/batch-restore.ts';
import { ChangeLoggingKeyValueStore } from '../../../runtime/state/change-logging-key-value-store.ts';
import { InMemoryKeyValueStore } from '../../../runtime/state/in-memory-key-value-store.ts';
import { StateStoreError } from '../../../runtime/state/state-store-error.ts';
import { b, RecordingContext } from './store-test-context.ts';

describe('ChangeLoggingKeyValueStore', () => {
  it('logs every write with the current event time, deletes as null', async () => {
    const context = new RecordingContext('/nonexistent');
    const store = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('kv'));
    await store.init(context);
    context.time = 10;
    store.put(b('a'), b('1'));
    context.time = 11;
    expect(store.putIfAbsent(b('a'), b('2'))?.toString()).toBe('1');
    store.putIfAbsent(b('b'), b('2'));
    store.delete(b('a'));
    store.writeAt(b('c'), b('3'), 99);
    expect(context.changes).toEqual([
      { store: 'kv', key: 'a', value: '1', timestamp: 10 },
      { store: 'kv', key: 'b', value: '2', timestamp: 11 },
      { store: 'kv', key: 'a', value: null, timestamp: 11 },
      { store: 'kv', key: 'c', value: '3', timestamp: 99 },
    ]);
  });

  it('does not log restored records', async () => {
    const context = new RecordingContext('/nonexistent');
    const store = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('kv'));
    await store.init(context);
    store.restore(b('a'), b('1'));
    await restoreAll(store, [[{ key: b('b'), value: b('2') }]]);
    expect(context.changes).toEqual([]);
    expect(store.get(b('b'))?.toString()).toBe('2');
  });

  it('refuses writes before init with STORE_NOT_OPEN', () => {
    const store = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('kv'));
    let error: unknown;
    try {
      store.put(b('a'), b('1'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ code: 'STORE_NOT_OPEN', message: 'store kv is not initialized', context: { store: 'kv' } });
    expect(store.get(b('a'))).toBeUndefined();
  });
});
