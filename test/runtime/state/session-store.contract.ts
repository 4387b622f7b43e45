/*
 * The session store contract, run against the persistent and the in-memory session
 * store and the change-logged stack (segmented-session-store.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEntry, SessionStore, SessionStoreOptions } from '../../../runtime/state/session-store.ts';
import { b, RecordingContext, tempStateDir } from './store-test-context.ts';

export type SessionStoreFactory = (options: SessionStoreOptions) => SessionStore<Buffer, Buffer>;

export async function sessions(entries: AsyncIterable<SessionEntry<Buffer, Buffer>>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of entries) out.push(`${s.key}[${s.start},${s.end}]=${s.value}`);
  return out;
}

export function sessionStoreContract(label: string, factory: SessionStoreFactory): void {
  describe(`SessionStore contract: ${label}`, () => {
    // sessions kept 100 ms after their end, in 50 ms segments
    const options: SessionStoreOptions = { retentionMs: 100, segmentIntervalMs: 50 };
    let store: SessionStore<Buffer, Buffer>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      const tmp = await tempStateDir();
      cleanup = tmp.cleanup;
      store = factory(options);
      await store.init(new RecordingContext(tmp.dir));
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('puts, fetches and removes one session', async () => {
      store.put(b('k'), 5, 20, b('x'));
      expect(store.fetchSession(b('k'), 5, 20)?.toString()).toBe('x');
      expect(store.fetchSession(b('k'), 5, 21)).toBeUndefined();
      store.remove(b('k'), 5, 20);
      await store.flush();
      expect(store.fetchSession(b('k'), 5, 20)).toBeUndefined();
      expect(await sessions(store.fetch(b('k')))).toEqual([]);
    });

    it('findSessions returns the sessions a record at t with gap g merges with, across segments', async () => {
      store.put(b('k'), 0, 10, b('a'));
      store.put(b('k'), 30, 45, b('b'));
      store.put(b('k'), 52, 60, b('c'));
      store.put(b('k'), 90, 95, b('d'));
      store.put(b('kk'), 40, 50, b('other key'));
      store.put(b('j'), 40, 50, b('other key'));
      // a record at 50 with gap 5: sessions ending at or after 45 and starting at or before 55
      expect(await sessions(store.findSessions(b('k'), 45, 55))).toEqual(['k[30,45]=b', 'k[52,60]=c']);
      expect(await sessions(store.findSessions(b('k'), 11, 29))).toEqual([]);
      expect(await sessions(store.fetch(b('k')))).toEqual(['k[0,10]=a', 'k[30,45]=b', 'k[52,60]=c', 'k[90,95]=d']);
    });

    it('skips longer keys that begin with the key', async () => {
      const trap = Buffer.concat([b('a'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 20])]);
      store.put(trap, 1, 3, b('trap'));
      store.put(b('a'), 10, 20, b('real'));
      expect(await sessions(store.findSessions(b('a'), 0, 100))).toEqual(['a[10,20]=real']);
    });

    it('keeps sessions for the retention after their end', async () => {
      store.put(b('k'), 0, 10, b('old'));
      store.put(b('k'), 100, 109, b('recent'));
      expect(store.fetchSession(b('k'), 0, 10)?.toString()).toBe('old'); // 10 > 109 - 100
      store.put(b('k'), 105, 110, b('newest')); // live from end 11
      expect(store.fetchSession(b('k'), 0, 10)).toBeUndefined();
      store.put(b('k'), 2, 8, b('late')); // ended before the retention: dropped
      await store.flush();
      expect(await sessions(store.all())).toEqual(['k[100,109]=recent', 'k[105,110]=newest']);
    });
  });
}
