import type { SessionStore } from '../session-store.ts';
import type { KeyValueIteratorEntry } from '../state-store.ts';
import { EncodedStoreView } from './encoded-store-view.ts';
import type { EncodedStore } from './segmented-store.ts';
import { decodeSessionKey, sessionKey } from './session-key-codec.ts';

/** A session store that takes writes by changelog key (SegmentedSessionStore, ChangeLoggingSessionStore). */
export type EncodedSessionStore = SessionStore<Buffer, Buffer> & EncodedStore;

/**
 * A session store seen as a byte key-value store keyed by `[key][end][start]`, so the
 * key-value caching layer can sit in front of it. Supported: point reads and writes, and
 * `range` from `[key][end][0]` to the end of ONE key (the store's `findSessions`, in the
 * same byte order); `all` is not.
 */
export class SessionKeyValueView extends EncodedStoreView<EncodedSessionStore> {
  constructor(sessions: EncodedSessionStore) {
    super(sessions, 'session');
  }

  get(changelogKey: Buffer): Buffer | undefined {
    const { key, start, end } = decodeSessionKey(changelogKey);
    return this.store.fetchSession(key, start, end);
  }

  async *range(from?: Buffer): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>> {
    if (from === undefined) throw new TypeError('a session key-value view scans from a session of one key');
    const { key, end } = decodeSessionKey(from);
    for await (const s of this.store.findSessions(key, end, Number.MAX_SAFE_INTEGER)) {
      yield { key: sessionKey(key, s.start, s.end), value: s.value };
    }
  }
}
