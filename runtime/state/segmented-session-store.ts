import { asBatchRestorable, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { SegmentedBytesStore } from './internal/segmented-bytes-store.ts';
import { decodeSessionKey, sessionKey, sessionKeyUpperBound } from './internal/session-key-codec.ts';
import { LevelKeyValueStore } from './level-key-value-store.ts';
import type { SessionEntry, SessionStore, SessionStoreOptions } from './session-store.ts';
import type { KeyValueStore, StateStoreContext } from './state-store.ts';
import { defaultSegmentInterval } from './window-store.ts';

/**
 * The byte-level session store: sessions of byte keys in time segments (by session end)
 * over an ordered byte store; layout in internal/session-key-codec.ts. The changelog key
 * of a session is `[key][end][start]`, which `restore` takes back. Puts of sessions that
 * ended before the retention are dropped and counted in `droppedExpired`.
 */
export class SegmentedSessionStore implements SessionStore<Buffer, Buffer>, BatchRestorable {
  readonly retentionMs: number;
  droppedExpired = 0;
  private readonly segments: SegmentedBytesStore;

  constructor(
    private readonly substrate: KeyValueStore<Buffer, Buffer>,
    options: SessionStoreOptions,
  ) {
    this.retentionMs = options.retentionMs;
    this.segments = new SegmentedBytesStore(substrate, options.retentionMs, options.segmentIntervalMs ?? defaultSegmentInterval(options.retentionMs));
  }

  get name(): string {
    return this.substrate.name;
  }

  get persistent(): boolean {
    return this.substrate.persistent;
  }

  get observedStreamTime(): number {
    return this.segments.observedStreamTime;
  }

  async init(context: StateStoreContext): Promise<void> {
    await this.substrate.init(context);
    this.segments.load();
  }

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.putEncoded(sessionKey(key, start, end), value);
  }

  remove(key: Buffer, start: number, end: number): void {
    this.put(key, start, end, null);
  }

  /** Applies a write given by its changelog key: the path of puts and of restoration. */
  putEncoded(changelogKey: Buffer, value: Buffer | null): void {
    const { end } = decodeSessionKey(changelogKey);
    if (!this.segments.observe(end)) {
      this.droppedExpired++;
      return;
    }
    const stored = this.segments.stored(end, changelogKey);
    if (value === null) this.substrate.delete(stored);
    else this.substrate.put(stored, value);
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

  async flush(): Promise<void> {
    await this.segments.expireAndSave();
    await this.substrate.flush();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.substrate.close();
    }
  }

  restore(key: Buffer, value: Buffer | null): void {
    this.putEncoded(key, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.substrate).beginRestore();
  }

  async restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    const stored: RestoreRecord[] = [];
    for (const r of records) {
      const { end } = decodeSessionKey(r.key);
      if (this.segments.observe(end)) stored.push({ key: this.segments.stored(end, r.key), value: r.value });
    }
    await asBatchRestorable(this.substrate).restoreBatch(stored);
  }

  async endRestore(): Promise<void> {
    await asBatchRestorable(this.substrate).endRestore();
    await this.flush();
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
