import { describe, expect, it } from 'vitest';
import { ChangeLoggingSessionStore } from '../../../../runtime/state/change-logging-session-store.ts';
import { ChangeLoggingWindowStore } from '../../../../runtime/state/change-logging-window-store.ts';
import { inMemorySessionStore } from '../../../../runtime/state/segmented-session-store.ts';
import { inMemoryWindowStore } from '../../../../runtime/state/segmented-window-store.ts';
import { sessionKey } from '../../../../runtime/state/internal/session-key-codec.ts';
import { windowKey } from '../../../../runtime/state/internal/window-key-codec.ts';
import type { StateStoreContext } from '../../../../runtime/state/state-store.ts';
import { b } from '../store-test-context.ts';

/** A context without an event time (no `currentTimestamp`), recording the changelog timestamps. */
function timelessContext(): StateStoreContext & { stamps: number[] } {
  const stamps: number[] = [];
  return { applicationId: 'app', taskId: '0_0', partition: 0, stateDir: '/nonexistent', stamps, logChange: (_s, _k, _v, ts) => stamps.push(ts) };
}

describe('ChangeLoggingSegmentedStore', () => {
  it('stamps a window write without an event time with its window start, also when duplicates are retained', async () => {
    for (const retainDuplicates of [false, true]) {
      const context = timelessContext();
      const store = new ChangeLoggingWindowStore(inMemoryWindowStore('w', { windowSize: 10, retentionMs: 1000, retainDuplicates }));
      await store.init(context);
      store.put(b('k'), b('1'), 120);
      store.putEncoded(windowKey(b('k'), 130, retainDuplicates ? 7 : undefined), b('2'), 555);
      expect(context.stamps).toEqual([120, 555]);
    }
  });

  it('stamps a session write without an event time with its session end', async () => {
    const context = timelessContext();
    const store = new ChangeLoggingSessionStore(inMemorySessionStore('s', { retentionMs: 1000 }));
    await store.init(context);
    store.put(b('k'), 20, 45, b('1'));
    store.remove(b('k'), 20, 45);
    store.putEncoded(sessionKey(b('k'), 50, 60), b('2'), 777);
    expect(context.stamps).toEqual([45, 45, 777]);
  });

  it('refuses writes before init', () => {
    const window = new ChangeLoggingWindowStore(inMemoryWindowStore('w', { windowSize: 10, retentionMs: 1000 }));
    const session = new ChangeLoggingSessionStore(inMemorySessionStore('s', { retentionMs: 1000 }));
    expect(() => window.put(b('k'), b('1'), 0)).toThrow('store w is not initialized');
    expect(() => session.put(b('k'), 0, 0, b('1'))).toThrow('store s is not initialized');
  });
});
