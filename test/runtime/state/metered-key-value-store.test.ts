import { describe, expect, it } from 'vitest';
import { restoreAll } from '../../../runtime/state/batch-restore.ts';
import { InMemoryKeyValueStore } from '../../../runtime/state/in-memory-key-value-store.ts';
import { MeteredKeyValueStore, type StoreMetrics } from '../../../runtime/state/metered-key-value-store.ts';
import { b, collect, RecordingContext } from './store-test-context.ts';

describe('MeteredKeyValueStore', () => {
  it('reports each operation with its latency from the timer, and restored record counts', async () => {
    const calls: string[] = [];
    const metrics: StoreMetrics = {
      onOperation: (store, task, op, seconds) => calls.push(`${store}/${task} ${op} ${seconds}`),
      onRestore: (store, task, n) => calls.push(`${store}/${task} restored ${n}`),
    };
    let now = 0;
    // each timer reading advances 2.5 ms, so every operation takes 2.5 ms
    const store = new MeteredKeyValueStore(new InMemoryKeyValueStore('kv'), metrics, { timer: () => (now += 2.5) });
    await store.init(new RecordingContext('/nonexistent'));
    store.put(b('a'), b('1'));
    store.get(b('a'));
    store.putIfAbsent(b('a'), b('2'));
    store.delete(b('a'));
    expect(await collect(store.all())).toEqual([]);
    await store.flush();
    await restoreAll(store, [[{ key: b('x'), value: b('1') }, { key: b('y'), value: b('2') }], [{ key: b('z'), value: null }]]);
    expect(calls).toEqual([
      'kv/0_0 put 0.0025',
      'kv/0_0 get 0.0025',
      'kv/0_0 putIfAbsent 0.0025',
      'kv/0_0 delete 0.0025',
      'kv/0_0 range 0.0025',
      'kv/0_0 flush 0.0025',
      'kv/0_0 restored 2',
      'kv/0_0 restored 1',
    ]);
    expect(store.get(b('y'))?.toString()).toBe('2');
  });
});
