import { SerdeError } from '../../errors/runtime-errors.ts';
import type { Serde } from '../../serde/serde.ts';
import { asBatchRestorable, type BatchRestorable, type RestoreRecord } from '../batch-restore.ts';
import type { CachedForwarding, TypedFlushListener } from '../cached-forwarding.ts';
import { CachingKeyValueStore } from '../caching-key-value-store.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from '../state-store.ts';

/** Decoded values remembered per store (see TypedKeyValueStore); the memo is cleared when full. */
const DECODED_MAX_ENTRIES = 8192;

/**
 * The outermost layer of a key-value store: turns typed keys and values into bytes with
 * the store's serdes (passing the changelog topic name to the serdes, as Kafka Streams
 * does) and delegates to the byte stack below (caching, change-logging, inner store).
 * Range bounds are serialized too, so scans follow the byte order of serialized keys.
 *
 * Decoded values are remembered per primitive key together with the very Buffer they came
 * from or were written as: a `get` whose bytes from below are that same Buffer object (the
 * cache and the in-memory store hand back what they were given) returns the remembered
 * value instead of deserializing again. A read-modify-write of one key per record (an
 * aggregation, a per-customer state) then costs one serialization and no deserialization.
 * Values read from or written to a store are therefore shared with it: treat them as
 * immutable and `put` a new value to change one (as the DSL aggregations and the
 * topologies do); a mutated value that is not put again may be seen by later reads.
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
    if (bytes === undefined) return undefined;
    const memo = typeof key === 'object' ? undefined : this.decoded.get(key);
    if (memo !== undefined && memo.bytes === bytes) return memo.value;
    const value = this.valueSerde.deserialize(this.topic, bytes);
    this.remember(key, bytes, value);
    return value;
  }

  put(key: K, value: V): void {
    const keyBytes = this.keyBytes(key);
    const valueBytes = value === null || value === undefined ? null : this.valueSerde.serialize(this.topic, value);
    if (valueBytes === null) {
      this.decoded.delete(key);
      this.bytes.delete(keyBytes);
    } else {
      this.bytes.put(keyBytes, valueBytes);
      this.remember(key, valueBytes, value);
    }
  }

  putIfAbsent(key: K, value: V): V | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  delete(key: K): V | undefined {
    this.decoded.delete(key);
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
    const decodeNew = (key: K, bytes: Buffer | null): V | null => {
      const memo = bytes === null || typeof key === 'object' ? undefined : this.decoded.get(key);
      return memo !== undefined && memo.bytes === bytes ? memo.value : decode(bytes);
    };
    this.bytes.setFlushListener(
      listener === undefined
        ? undefined
        : (keyBytes, value, timestamp, old) => {
            const key = this.keySerde.deserialize(this.topic, keyBytes);
            listener(key, decodeNew(key, value), decode(old), timestamp);
          },
    );
    return true;
  }

  writeDown(): void {
    if (this.bytes instanceof CachingKeyValueStore) this.bytes.writeDown();
  }

  close(): Promise<void> {
    this.decoded.clear();
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

  private readonly decoded = new Map<unknown, { bytes: Buffer; value: V }>();

  /** Remembers the decoded value of a primitive key and the Buffer it belongs to. */
  private remember(key: K, bytes: Buffer, value: V): void {
    if (typeof key === 'object') return;
    const memo = this.decoded.get(key);
    if (memo !== undefined) {
      memo.bytes = bytes;
      memo.value = value;
      return;
    }
    if (this.decoded.size >= DECODED_MAX_ENTRIES) this.decoded.clear();
    this.decoded.set(key, { bytes, value });
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
