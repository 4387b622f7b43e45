import { SerdeError } from '../../errors/runtime-errors.ts';
import type { Serde } from '../../serde/serde.ts';
import { asBatchRestorable, type BatchRestorable, type RestoreRecord } from '../batch-restore.ts';
import type { CachedForwarding, TypedFlushListener } from '../cached-forwarding.ts';
import { CachingKeyValueStore } from '../caching-key-value-store.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from '../state-store.ts';

/**
 * The outermost layer of a key-value store: turns typed keys and values into bytes with
 * the store's serdes (passing the changelog topic name to the serdes, as Kafka Streams
 * does) and delegates to the byte stack below (caching, change-logging, inner store).
 * Range bounds are serialized too, so scans follow the byte order of serialized keys.
 */
export class TypedKeyValueStore<K, V> implements KeyValueStore<K, V>, BatchRestorable, CachedForwarding<K, V> {
  private topic: string;

  constructor(
    readonly bytes: KeyValueStore<Buffer, Buffer>,
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

  async init(context: StateStoreContext): Promise<void> {
    this.topic = `${context.applicationId}-${this.bytes.name}-changelog`;
    await this.keySerde.prepare?.(this.topic);
    await this.valueSerde.prepare?.(this.topic);
    await this.bytes.init(context);
  }

  get(key: K): V | undefined {
    const bytes = this.bytes.get(this.keyBytes(key));
    return bytes === undefined ? undefined : this.valueSerde.deserialize(this.topic, bytes);
  }

  put(key: K, value: V): void {
    const keyBytes = this.keyBytes(key);
    const valueBytes = value === null || value === undefined ? null : this.valueSerde.serialize(this.topic, value);
    if (valueBytes === null) this.bytes.delete(keyBytes);
    else this.bytes.put(keyBytes, valueBytes);
  }

  putIfAbsent(key: K, value: V): V | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  delete(key: K): V | undefined {
    const old = this.bytes.delete(this.keyBytes(key));
    return old === undefined ? undefined : this.valueSerde.deserialize(this.topic, old);
  }

  range(from?: K, to?: K): AsyncIterable<KeyValueIteratorEntry<K, V>> {
    return this.decode(
      this.bytes.range(from === undefined ? undefined : this.keyBytes(from), to === undefined ? undefined : this.keyBytes(to)),
    );
  }

  all(): AsyncIterable<KeyValueIteratorEntry<K, V>> {
    return this.decode(this.bytes.all());
  }

  approximateNumEntries(): number {
    return this.bytes.approximateNumEntries();
  }

  flush(): Promise<void> {
    return this.bytes.flush();
  }

  /** Decodes the write-downs of the cache below, if there is one (see CachedForwarding). */
  setFlushListener(listener: TypedFlushListener<K, V> | undefined): boolean {
    if (!(this.bytes instanceof CachingKeyValueStore)) return false;
    const decode = (bytes: Buffer | null): V | null => (bytes === null ? null : this.valueSerde.deserialize(this.topic, bytes));
    this.bytes.setFlushListener(
      listener === undefined ? undefined : (key, value, timestamp, old) => listener(this.keySerde.deserialize(this.topic, key), decode(value), decode(old), timestamp),
    );
    return true;
  }

  writeDown(): void {
    if (this.bytes instanceof CachingKeyValueStore) this.bytes.writeDown();
  }

  close(): Promise<void> {
    return this.bytes.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    if (this.bytes.restore === undefined) throw new TypeError(`store ${this.name} cannot be restored: it has no restore()`);
    this.bytes.restore(key, value);
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

  private lastKey: unknown = undefined;
  private lastKeyBytes: Buffer | undefined;

  /**
   * Serializes a key. An aggregation reads then writes the same key, so the bytes of the
   * last primitive key (string, number) are reused; object keys are always serialized
   * again, since they could have been mutated in between.
   */
  private keyBytes(key: K): Buffer {
    if (key === this.lastKey && this.lastKeyBytes !== undefined) return this.lastKeyBytes;
    const bytes = key === null || key === undefined ? null : this.keySerde.serialize(this.topic, key);
    if (bytes === null) {
      throw new SerdeError('SERIALIZATION_FAILED', `store ${this.name}: a key may not be null`, { context: { store: this.name } });
    }
    if (typeof key !== 'object') {
      this.lastKey = key;
      this.lastKeyBytes = bytes;
    }
    return bytes;
  }

  private async *decode(entries: AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>>): AsyncGenerator<KeyValueIteratorEntry<K, V>> {
    for await (const e of entries) {
      yield { key: this.keySerde.deserialize(this.topic, e.key), value: this.valueSerde.deserialize(this.topic, e.value) };
    }
  }
}
