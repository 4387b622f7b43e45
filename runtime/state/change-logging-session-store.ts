import { ChangeLoggingSegmentedStore } from './internal/change-logging-segmented-store.ts';
import { sessionKey } from './internal/session-key-codec.ts';
import type { SegmentedSessionStore } from './segmented-session-store.ts';
import type { SessionEntry, SessionStore } from './session-store.ts';

/**
 * Logs every session write (and removal, as null) to the changelog with key
 * `[key][end][start]`, the bytes `restore` takes back. Timestamp: the event time of the
 * record being processed (else the session end). Restoration is not logged. The logging
 * itself is in internal/change-logging-segmented-store.ts.
 */
export class ChangeLoggingSessionStore extends ChangeLoggingSegmentedStore<SegmentedSessionStore> implements SessionStore<Buffer, Buffer> {
  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.putEncoded(sessionKey(key, start, end), value);
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
}
