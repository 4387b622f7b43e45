import { describe, expect, it } from 'vitest';
import { CachingWindowStore } from '../../../runtime/state/caching-window-store.ts';
import { ChangeLoggingWindowStore } from '../../../runtime/state/change-logging-window-store.ts';
import { inMemoryWindowStore, persistentWindowStore } from '../../../runtime/state/segmented-window-store.ts';
import { windowStoreContract } from './window-store.contract.ts';
import { b, RecordingContext } from './store-test-context.ts';

windowStoreContract('caching(changeLogging(persistentWindowStore))', (o) => new CachingWindowStore(new ChangeLoggingWindowStore(persistentWindowStore('w', o))), {
  duplicates: false,
});
windowStoreContract('caching(changeLogging(inMemoryWindowStore)), 300-byte cache', (o) => new CachingWindowStore(new ChangeLoggingWindowStore(inMemoryWindowStore('w', o)), { maxBytes: 300 }), {
  duplicates: false,
});

describe('CachingWindowStore', () => {
  it('writes a window updated many times between commits once to the changelog', async () => {
    const context = new RecordingContext('/nonexistent');
    const store = new CachingWindowStore(new ChangeLoggingWindowStore(inMemoryWindowStore('w', { windowSize: 10, retentionMs: 100 })));
    await store.init(context);
    for (let i = 1; i <= 50; i++) {
      context.time = i;
      store.put(b('k'), b(String(i)), 0);
      store.put(b('k'), b(`x${i}`), 10);
    }
    expect(context.changes).toEqual([]);
    expect(store.fetch(b('k'), 0)?.toString()).toBe('50');
    await store.flush();
    expect(context.changes.map((c) => `${c.value}@${c.timestamp}`)).toEqual(['50@50', 'x50@50']);
  });

  it('refuses duplicate-retaining stores', () => {
    const inner = new ChangeLoggingWindowStore(inMemoryWindowStore('joins', { windowSize: 10, retentionMs: 100, retainDuplicates: true }));
    expect(() => new CachingWindowStore(inner)).toThrow('window store joins retains duplicates and cannot be cached');
  });
});
