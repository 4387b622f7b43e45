import type { CachingOptions } from './caching-key-value-store.ts';
import { CachingSegmentedStore } from './internal/caching-segmented-store.ts';
import { decodeSessionKey, sessionKey, sessionKeyUpperBound } from './internal/session-key-codec.ts';
import { SessionKeyValueView, type EncodedSessionStore } from './internal/session-key-value-view.ts';
import type { SessionEntry, SessionStore } from './session-store.ts';
import type { SessionFlushListener } from './cached-forwarding.ts';

/**
 * A write-back cache in front of a session store (typically change-logging over
 * segmented): the key-value cache over a view keyed by `[key][end][start]`
 * (internal/caching-segmented-store.ts). A session that grows with every record of a
 * commit interval (each merge removes the old session and puts the longer one) reaches
 * the store and its changelog once, as its final session plus one removal of the session
 * that was there before; the intermediate ones are created and removed inside the cache
 * and written nowhere. `findSessions` and
 * `fetch` merge the cache with the store; `all` writes the cache down first. Sessions
 * whose end is past the retention (counted from the largest end the cache or the store
 * has seen) are neither returned nor kept.
 */
export class CachingSessionStore extends CachingSegmentedStore<EncodedSessionStore> implements SessionStore<Buffer, Buffer> {
  constructor(inner: EncodedSessionStore, options: CachingOptions = {}) {
    super(inner, new SessionKeyValueView(inner), options);
  }

  /**
   * Observes each session the cache writes down (a removal has value null), with the
   * value the store held before; sessions created and removed within the cache never show.
   */
  setFlushListener(listener: SessionFlushListener<Buffer, Buffer> | undefined): void {
    this.cache.setFlushListener(
      listener === undefined
        ? undefined
        : (changelogKey, value, timestamp, old) => {
            const s = decodeSessionKey(changelogKey);
            listener(s.key, s.start, s.end, value, old, timestamp);
          },
    );
  }

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    if (this.admit(end)) this.write(sessionKey(key, start, end), value);
  }

  remove(key: Buffer, start: number, end: number): void {
    this.put(key, start, end, null);
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    return this.isExpired(end) ? undefined : this.cache.get(sessionKey(key, start, end));
  }

  async *findSessions(key: Buffer, earliestSessionEnd: number, latestSessionStart: number): AsyncGenerator<SessionEntry<Buffer, Buffer>> {
    const from = sessionKey(key, 0, Math.max(0, earliestSessionEnd));
    for await (const entry of this.cache.range(from, sessionKeyUpperBound(key))) {
      const s = decodeSessionKey(entry.key);
      if (s.key.length !== key.length || s.end < earliestSessionEnd || this.isExpired(s.end)) continue;
      if (s.start > latestSessionStart) return; // sessions of a key do not overlap: all later ones start later
      yield { key, start: s.start, end: s.end, value: entry.value };
    }
  }

  fetch(key: Buffer): AsyncIterable<SessionEntry<Buffer, Buffer>> {
    return this.findSessions(key, 0, Number.MAX_SAFE_INTEGER);
  }

  all(): AsyncIterable<SessionEntry<Buffer, Buffer>> {
    this.cache.writeDown();
    return this.live(this.inner.all());
  }

  private async *live(sessions: AsyncIterable<SessionEntry<Buffer, Buffer>>): AsyncGenerator<SessionEntry<Buffer, Buffer>> {
    for await (const s of sessions) if (!this.isExpired(s.end)) yield s;
  }
}
