import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from '../batch-restore.ts';
import type { SessionStore } from '../session-store.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from '../state-store.ts';
import { decodeSessionKey, sessionKey } from './session-key-codec.ts';
import type { TimestampedWriter } from './timestamped-writer.ts';

/** A session store that takes writes by changelog key (SegmentedSessionStore, ChangeLoggingSessionStore). */
export interface EncodedSessionStore extends SessionStore<Buffer, Buffer> {
  readonly observedStreamTime: number;
  putEncoded(changelogKey: Buffer, value: Buffer | null, timestamp?: number): void;
}

/**
 * A session store seen as a byte key-value store keyed by `[key][end][start]`, so the
 * key-value caching layer can sit in front of it. Supported: point reads and writes, and
 * `range` from `[key][end][0]` to the end of ONE key (the store's `findSessions`, in the
 * same byte order); `all` is not.
 */
export class SessionKeyValueView implements KeyValueStore<Buffer, Buffer>, TimestampedWriter, BatchRestorable {
  constructor(readonly sessions: EncodedSessionStore) {}

  get name(): string {
    return this.sessions.name;
  }

  get persistent(): boolean {
    return this.sessions.persistent;
  }

  init(context: StateStoreContext): Promise<void> {
    return this.sessions.init(context);
  }

  get(changelogKey: Buffer): Buffer | undefined {
    const { key, start, end } = decodeSessionKey(changelogKey);
    return this.sessions.fetchSession(key, start, end);
  }

  put(changelogKey: Buffer, value: Buffer): void {
    this.sessions.putEncoded(changelogKey, value);
  }

  putIfAbsent(changelogKey: Buffer, value: Buffer): Buffer | undefined {
    const old = this.get(changelogKey);
    if (old === undefined) this.put(changelogKey, value);
    return old;
  }

  delete(changelogKey: Buffer): Buffer | undefined {
    const old = this.get(changelogKey);
    this.sessions.putEncoded(changelogKey, null);
    return old;
  }

  writeAt(changelogKey: Buffer, value: Buffer | null, timestamp: number): void {
    this.sessions.putEncoded(changelogKey, value, timestamp);
  }

  async *range(from?: Buffer): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>> {
    if (from === undefined) throw new TypeError('a session key-value view scans from a session of one key');
    const { key, end } = decodeSessionKey(from);
    for await (const s of this.sessions.findSessions(key, end, Number.MAX_SAFE_INTEGER)) {
      yield { key: sessionKey(key, s.start, s.end), value: s.value };
    }
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    throw new TypeError('a session key-value view cannot scan all sessions');
  }

  approximateNumEntries(): number {
    return 0;
  }

  flush(): Promise<void> {
    return this.sessions.flush();
  }

  close(): Promise<void> {
    return this.sessions.close();
  }

  restore(changelogKey: Buffer, value: Buffer | null): void {
    restoreOne(this.sessions, changelogKey, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.sessions).beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.sessions).restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.sessions).endRestore();
  }
}
