import type { SessionFlushListener } from './cached-forwarding.ts';
import { CachingSessionStore } from './caching-session-store.ts';
import { TypedSegmentedStore } from './internal/typed-segmented-store.ts';
import type { SessionEntry, SessionStore } from './session-store.ts';

/**
 * The typed layer of a session store: keys and values through serdes (called with the
 * changelog topic); the serdes and what passes straight down are in
 * internal/typed-segmented-store.ts.
 */
export class TypedSessionStore<K, V> extends TypedSegmentedStore<K, V, SessionStore<Buffer, Buffer>> implements SessionStore<K, V> {
  put(key: K, start: number, end: number, value: V | null): void {
    const bytes = this.serializeValue(value);
    this.bytes.put(this.key(key), start, end, bytes);
  }

  remove(key: K, start: number, end: number): void {
    this.bytes.remove(this.key(key), start, end);
  }

  fetchSession(key: K, start: number, end: number): V | undefined {
    const bytes = this.bytes.fetchSession(this.key(key), start, end);
    return bytes === undefined ? undefined : this.deserializeValue(bytes);
  }

  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): AsyncIterable<SessionEntry<K, V>> {
    return this.typed(this.bytes.findSessions(this.key(key), earliestSessionEnd, latestSessionStart));
  }

  fetch(key: K): AsyncIterable<SessionEntry<K, V>> {
    return this.typed(this.bytes.fetch(this.key(key)));
  }

  all(): AsyncIterable<SessionEntry<K, V>> {
    return this.typed(this.bytes.all());
  }

  /** As TypedWindowStore.setFlushListener, for sessions. */
  setFlushListener(listener: SessionFlushListener<K, V> | undefined): boolean {
    if (!(this.bytes instanceof CachingSessionStore)) return false;
    this.bytes.setFlushListener(
      listener === undefined
        ? undefined
        : (key, start, end, v, old, ts) => listener(this.deserializeKey(key), start, end, this.nullableValue(v), this.nullableValue(old), ts),
    );
    return true;
  }

  private async *typed(entries: AsyncIterable<SessionEntry<Buffer, Buffer>>): AsyncGenerator<SessionEntry<K, V>> {
    for await (const e of entries) {
      yield { key: this.deserializeKey(e.key), start: e.start, end: e.end, value: this.deserializeValue(e.value) };
    }
  }
}
