import type { Serde } from '../serde/serde.ts';
import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import type { SessionEntry, SessionStore } from './session-store.ts';
import type { SessionFlushListener } from './cached-forwarding.ts';
import { CachingSessionStore } from './caching-session-store.ts';
import { StateStoreError } from './state-store-error.ts';
import type { StateStoreContext } from './state-store.ts';

/** The typed layer of a session store: keys and values through serdes (called with the changelog topic). */
export class TypedSessionStore<K, V> implements SessionStore<K, V>, BatchRestorable {
  private topic: string;

  constructor(
    readonly bytes: SessionStore<Buffer, Buffer>,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    this.topic = `${bytes.name}-changelog`;
  }

  get name(): string {
    return this.bytes.name;
  }
  get persistent(): boolean {
    return this.bytes.persistent;
  }
  get retentionMs(): number {
    return this.bytes.retentionMs;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.topic = `${context.applicationId}-${this.bytes.name}-changelog`;
    await this.keySerde.prepare?.(this.topic);
    await this.valueSerde.prepare?.(this.topic);
    await this.bytes.init(context);
  }

  put(key: K, start: number, end: number, value: V | null): void {
    const bytes = value === null ? null : this.valueSerde.serialize(this.topic, value);
    this.bytes.put(this.key(key), start, end, bytes);
  }

  remove(key: K, start: number, end: number): void {
    this.bytes.remove(this.key(key), start, end);
  }

  fetchSession(key: K, start: number, end: number): V | undefined {
    const bytes = this.bytes.fetchSession(this.key(key), start, end);
    return bytes === undefined ? undefined : this.valueSerde.deserialize(this.topic, bytes);
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

  flush(): Promise<void> {
    return this.bytes.flush();
  }

  /** As TypedWindowStore.setFlushListener, for sessions. */
  setFlushListener(listener: SessionFlushListener<K, V> | undefined): boolean {
    if (!(this.bytes instanceof CachingSessionStore)) return false;
    const value = (b: Buffer | null): V | null => (b === null ? null : this.valueSerde.deserialize(this.topic, b));
    this.bytes.setFlushListener(
      listener === undefined
        ? undefined
        : (key, start, end, v, old, ts) => listener(this.keySerde.deserialize(this.topic, key), start, end, value(v), value(old), ts),
    );
    return true;
  }

  writeDown(): void {
    if (this.bytes instanceof CachingSessionStore) this.bytes.writeDown();
  }

  close(): Promise<void> {
    return this.bytes.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    restoreOne(this.bytes, key, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.bytes).beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.bytes).restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.bytes).endRestore();
  }

  private key(key: K): Buffer {
    const bytes = this.keySerde.serialize(this.topic, key);
    if (bytes === null) throw new StateStoreError('STORE_SERDE', `store ${this.name}: key serialized to null`, { context: { store: this.name } });
    return bytes;
  }

  private async *typed(entries: AsyncIterable<SessionEntry<Buffer, Buffer>>): AsyncGenerator<SessionEntry<K, V>> {
    for await (const e of entries) {
      yield { key: this.keySerde.deserialize(this.topic, e.key), start: e.start, end: e.end, value: this.valueSerde.deserialize(this.topic, e.value) };
    }
  }
}
