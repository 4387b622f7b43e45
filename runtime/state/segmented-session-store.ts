import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { SegmentedStore } from './internal/segmented-store.ts';
import { decodeSessionKey, sessionKey, sessionKeyUpperBound } from './internal/session-key-codec.ts';
import { LevelKeyValueStore } from './level-key-value-store.ts';
import type { SessionEntry, SessionStore, SessionStoreOptions } from './session-store.ts';
import type { KeyValueStore } from './state-store.ts';

/**
 * The byte-level session store: sessions of byte keys in time segments (by session end)
 * over an ordered byte store; layout in internal/session-key-codec.ts, writes and
 * restoration in internal/segmented-store.ts. The changelog key of a session is
 * `[key][end][start]`, which `restore` takes back. Puts of sessions that ended before
 * the retention are dropped and counted in `droppedExpired`.
 */
export class SegmentedSessionStore extends SegmentedStore implements SessionStore<Buffer, Buffer> {
  constructor(substrate: KeyValueStore<Buffer, Buffer>, options: SessionStoreOptions) {
    super(substrate, options);
  }

  /** The session end of a changelog key. */
  segmentTime(changelogKey: Buffer): number {
    return decodeSessionKey(changelogKey).end;
  }

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.putEncoded(sessionKey(key, start, end), value);
  }

  remove(key: Buffer, start: number, end: number): void {
    this.put(key, start, end, null);
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    if (this.segments.isExpired(end)) return undefined;
    return this.substrate.get(this.segments.stored(end, sessionKey(key, start, end)));
  }

  async *findSessions(key: Buffer, earliestSessionEnd: number, latestSessionStart: number): AsyncGenerator<SessionEntry<Buffer, Buffer>> {
    const from = Math.max(0, earliestSessionEnd);
    const lower = sessionKey(key, 0, from);
    for await (const entry of this.segments.scan(from, Number.MAX_SAFE_INTEGER, lower, sessionKeyUpperBound(key))) {
      const s = decodeSessionKey(entry.key);
      if (s.key.length !== key.length || s.end < earliestSessionEnd || this.segments.isExpired(s.end)) continue;
      if (s.start > latestSessionStart) return; // sessions of a key do not overlap: all later ones start later
      yield { key, start: s.start, end: s.end, value: entry.value };
    }
  }

  fetch(key: Buffer): AsyncIterable<SessionEntry<Buffer, Buffer>> {
    return this.findSessions(key, 0, Number.MAX_SAFE_INTEGER);
  }

  async *all(): AsyncGenerator<SessionEntry<Buffer, Buffer>> {
    for await (const entry of this.segments.scan(0, Number.MAX_SAFE_INTEGER)) {
      const s = decodeSessionKey(entry.key);
      if (this.segments.isExpired(s.end)) continue;
      yield { key: Buffer.from(s.key), start: s.start, end: s.end, value: entry.value };
    }
  }
}

/** A session store on LevelDB under `<state dir>/<name>`. */
export function persistentSessionStore(name: string, options: SessionStoreOptions): SegmentedSessionStore {
  return new SegmentedSessionStore(new LevelKeyValueStore(name, { trackCount: false }), options);
}

/** A session store in memory (restored from its changelog when a task starts). */
export function inMemorySessionStore(name: string, options: SessionStoreOptions): SegmentedSessionStore {
  return new SegmentedSessionStore(new InMemoryKeyValueStore(name), options);
}
