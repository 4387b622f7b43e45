import type { Serde } from '../serde/serde.ts';
import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import type { WindowFlushListener } from './cached-forwarding.ts';
import { CachingWindowStore } from './caching-window-store.ts';
import { StateStoreError } from './state-store-error.ts';
import type { StateStoreContext } from './state-store.ts';
import type { WindowEntry, WindowStore, WindowValue } from './window-store.ts';

/**
 * The typed layer of a window store: keys and values through serdes (called with the
 * changelog topic), so keys order by their serialized bytes.
 */
export class TypedWindowStore<K, V> implements WindowStore<K, V>, BatchRestorable {
  private topic: string;

  constructor(
    readonly bytes: WindowStore<Buffer, Buffer>,
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
  get windowSize(): number {
    return this.bytes.windowSize;
  }
  get retentionMs(): number {
    return this.bytes.retentionMs;
  }

  /**
   * Decodes the write-downs of the cache below; returns false when there is no cache
   * (the caller then forwards every update itself). See CachedForwarding.
   */
  setFlushListener(listener: WindowFlushListener<K, V> | undefined): boolean {
    if (!(this.bytes instanceof CachingWindowStore)) return false;
    const value = (b: Buffer | null): V | null => (b === null ? null : this.valueSerde.deserialize(this.topic, b));
    this.bytes.setFlushListener(
      listener === undefined
        ? undefined
        : (key, start, v, old, ts) => listener(this.keySerde.deserialize(this.topic, key), start, value(v), value(old), ts),
    );
    return true;
  }

  writeDown(): void {
    if (this.bytes instanceof CachingWindowStore) this.bytes.writeDown();
  }

  async init(context: StateStoreContext): Promise<void> {
    this.topic = `${context.applicationId}-${this.bytes.name}-changelog`;
    await this.keySerde.prepare?.(this.topic);
    await this.valueSerde.prepare?.(this.topic);
    await this.bytes.init(context);
  }

  put(key: K, value: V | null, windowStart: number): void {
    const bytes = value === null ? null : this.valueSerde.serialize(this.topic, value);
    this.bytes.put(this.key(key), bytes, windowStart);
  }

  fetch(key: K, windowStart: number): V | undefined {
    const bytes = this.bytes.fetch(this.key(key), windowStart);
    return bytes === undefined ? undefined : this.valueSerde.deserialize(this.topic, bytes);
  }

  async *fetchRange(key: K, timeFrom: number, timeTo: number): AsyncGenerator<WindowValue<V>> {
    for await (const w of this.bytes.fetchRange(this.key(key), timeFrom, timeTo)) {
      yield { windowStart: w.windowStart, value: this.valueSerde.deserialize(this.topic, w.value) };
    }
  }

  fetchKeyRange(keyFrom: K | undefined, keyTo: K | undefined, timeFrom: number, timeTo: number): AsyncIterable<WindowEntry<K, V>> {
    const from = keyFrom === undefined ? undefined : this.key(keyFrom);
    const to = keyTo === undefined ? undefined : this.key(keyTo);
    return this.typed(this.bytes.fetchKeyRange(from, to, timeFrom, timeTo));
  }

  all(): AsyncIterable<WindowEntry<K, V>> {
    return this.typed(this.bytes.all());
  }

  flush(): Promise<void> {
    return this.bytes.flush();
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

  private async *typed(entries: AsyncIterable<WindowEntry<Buffer, Buffer>>): AsyncGenerator<WindowEntry<K, V>> {
    for await (const e of entries) {
      yield { key: this.keySerde.deserialize(this.topic, e.key), windowStart: e.windowStart, windowEnd: e.windowEnd, value: this.valueSerde.deserialize(this.topic, e.value) };
    }
  }
}
