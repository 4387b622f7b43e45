import { describe, expect, it } from 'vitest';
import { CachingSessionStore } from '../../../runtime/state/caching-session-store.ts';
import { ChangeLoggingSessionStore } from '../../../runtime/state/change-logging-session-store.ts';
import { inMemorySessionStore, persistentSessionStore } from '../../../runtime/state/segmented-session-store.ts';
import { sessions, sessionStoreContract } from './session-store.contract.ts';
import { b, RecordingContext } from './store-test-context.ts';

sessionStoreContract(
  'caching(changeLogging(persistentSessionStore))',
  (o) => new CachingSessionStore(new ChangeLoggingSessionStore(persistentSessionStore('s', o))),
);
sessionStoreContract(
  'caching(changeLogging(inMemorySessionStore)), 300-byte cache',
  (o) => new CachingSessionStore(new ChangeLoggingSessionStore(inMemorySessionStore('s', o)), { maxBytes: 300 }),
);

describe('CachingSessionStore', () => {
  it('logs a session that grows through a commit interval once, plus the removal of the one it replaced', async () => {
    const context = new RecordingContext('/nonexistent');
    const store = new CachingSessionStore(
      new ChangeLoggingSessionStore(inMemorySessionStore('visits', { retentionMs: 600_000 })),
    );
    await store.init(context);
    store.put(b('u'), 0, 0, b('1'));
    await store.flush();
    expect(context.changes.map((c) => c.value)).toEqual(['1']);
    // ten clicks 1 s apart with a 5 s gap: each merges the current session into a longer one
    for (let t = 1000, count = 2; t <= 10_000; t += 1000, count++) {
      context.time = t;
      for await (const s of store.findSessions(b('u'), t - 5000, t + 5000)) {
        store.remove(s.key, s.start, s.end);
        store.put(b('u'), s.start, t, b(String(count)));
      }
    }
    await store.flush();
    expect(await sessions(store.all())).toEqual(['u[0,10000]=11']);
    expect(
      context.changes
        .slice(1)
        .map((c) => `${c.value}@${c.timestamp}`)
        .sort(),
    ).toEqual(['11@10000', 'null@1000']);
  });
});
