import type { BatchRestorable, RestoreRecord } from './batch-restore.ts';
import { decodeSessionKey, sessionKey } from './internal/session-key-codec.ts';
import type { SegmentedSessionStore } from './segmented-session-store.ts';
import type { SessionEntry, SessionStore } from './session-store.ts';
import { StateStoreError } from './state-store-error.ts';
import type { StateStoreContext } from './state-store.ts';

/**
 * Logs every session write (and removal, as null) to the changelog with key
 * `[key][end][start]`, the bytes `restore` takes back. Timestamp: the event time of the
 * record being processed. Restoration is not logged.
 */
export class ChangeLoggingSessionStore implements SessionStore<Buffer, Buffer>, BatchRestorable {
  private context: StateStoreContext | undefined;

  constructor(private readonly inner: SegmentedSessionStore) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.context = context;
    await this.inner.init(context);
  }

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.putEncoded(sessionKey(key, start, end), value);
  }

  /** Writes and logs a session given by its changelog key; `timestamp` defaults to the current event time. */
  putEncoded(changelogKey: Buffer, value: Buffer | null, timestamp?: number): void {
    const context = this.context;
    if (context === undefined) {
      throw new StateStoreError('STORE_NOT_OPEN', `store ${this.name} is not initialized`, { context: { store: this.name } });
    }
    this.inner.putEncoded(changelogKey, value);
    const time = timestamp ?? context.currentTimestamp?.() ?? decodeSessionKey(changelogKey).end;
    context.logChange(this.name, changelogKey, value, time);
  }

  get observedStreamTime(): number {
    return this.inner.observedStreamTime;
  }

  remove(key: Buffer, start: number, end: number): void {
    this.put(key, start, end, null);
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    return this.inner.fetchSession(key, start, end);
  }

  findSessions(key: Buffer, earliestSessionEnd: number, latestSessionStart: number): AsyncIterable<SessionEntry<Buffer, Buffer>> {
    return this.inner.findSessions(key, earliestSessionEnd, latestSessionStart);
  }

  fetch(key: Buffer): AsyncIterable<SessionEntry<Buffer, Buffer>> {
    return this.inner.fetch(key);
  }

  all(): AsyncIterable<SessionEntry<Buffer, Buffer>> {
    return this.inner.all();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    this.inner.restore(key, value);
  }

  beginRestore(): void {
    this.inner.beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return this.inner.restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return this.inner.endRestore();
  }
}
