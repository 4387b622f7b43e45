import type { Serde } from '../serde/serde.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';
import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import {
  KeyValueStoreBuilder,
  type KeyValueBytesStoreSupplier,
  type SerdeDefaults,
  type StoreBuildOptions,
} from './stores.ts';
import { resolveSerde } from '../windows/internal/resolve-serde.ts';

/** A stored value with the event time of its last write. */
export interface TtlEntry<V> {
  readonly value: V;
  readonly writtenAt: number;
}

/* [ written at : 8, signed big-endian ms ][ value bytes ] */
export class TtlEntrySerde<V> implements Serde<TtlEntry<V>> {
  constructor(private readonly inner: Serde<V>) {}

  serialize(topic: string, entry: TtlEntry<V>): Buffer {
    const head = Buffer.allocUnsafe(8);
    head.writeBigInt64BE(BigInt(entry.writtenAt));
    return Buffer.concat([head, this.inner.serialize(topic, entry.value) ?? Buffer.alloc(0)]);
  }

  deserialize(topic: string, data: Buffer | null): TtlEntry<V> {
    if (data === null || data.length < 8) throw new TypeError(`TTL entry on ${topic}: need at least 8 bytes`);
    return { writtenAt: Number(data.readBigInt64BE(0)), value: this.inner.deserialize(topic, data.subarray(8)) };
  }

  prepare(topic: string): Promise<void> {
    return this.inner.prepare?.(topic) ?? Promise.resolve();
  }
}

/**
 * A key-value store whose entries expire `ttlMs` of event time after their last write
 * (a TTL for non-windowed state, e.g. a deduplication or last-seen table). Time is the
 * store's stream time: the largest event time of the records that wrote to it. An
 * expired entry reads as absent, and is deleted (a changelog tombstone) when it is read
 * or at a sweep; a sweep scans the store at a flush once stream time has moved a tenth
 * of the TTL since the last one.
 */
export class TtlKeyValueStore<K, V> implements KeyValueStore<K, V>, BatchRestorable {
  private context: StateStoreContext | undefined;
  private streamTime = -1;
  private lastSweep = -1;

  constructor(
    private readonly inner: KeyValueStore<K, TtlEntry<V>>,
    readonly ttlMs: number,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.context = context;
    await this.inner.init(context);
  }

  private now(): number {
    const t = this.context?.currentTimestamp?.() ?? -1;
    if (t > this.streamTime) this.streamTime = t;
    return this.streamTime;
  }

  private live(key: K, entry: TtlEntry<V> | undefined): V | undefined {
    if (entry === undefined) return undefined;
    if (entry.writtenAt + this.ttlMs > this.now()) return entry.value;
    this.inner.delete(key);
    return undefined;
  }

  get(key: K): V | undefined {
    return this.live(key, this.inner.get(key));
  }

  put(key: K, value: V): void {
    this.inner.put(key, { value, writtenAt: this.now() });
  }

  putIfAbsent(key: K, value: V): V | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  delete(key: K): V | undefined {
    return this.live(key, this.inner.delete(key));
  }

  async *range(from?: K, to?: K): AsyncGenerator<KeyValueIteratorEntry<K, V>> {
    const now = this.now();
    for await (const e of this.inner.range(from, to))
      if (e.value.writtenAt + this.ttlMs > now) yield { key: e.key, value: e.value.value };
  }

  all(): AsyncIterable<KeyValueIteratorEntry<K, V>> {
    return this.range();
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  async flush(): Promise<void> {
    if (this.streamTime >= 0 && this.streamTime - this.lastSweep >= this.ttlMs / 10) {
      const expired: K[] = [];
      for await (const e of this.inner.all())
        if (e.value.writtenAt + this.ttlMs <= this.streamTime) expired.push(e.key);
      for (const k of expired) this.inner.delete(k);
      this.lastSweep = this.streamTime;
    }
    await this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    restoreOne(this.inner, key, value);
  }
  beginRestore(): void {
    asBatchRestorable(this.inner).beginRestore();
  }
  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.inner).restoreBatch(records);
  }
  endRestore(): Promise<void> {
    return asBatchRestorable(this.inner).endRestore();
  }
}

/**
 * Builds a TtlKeyValueStore: the usual key-value stack (see KeyValueStoreBuilder) over
 * values wrapped with their write time, and the TTL layer on top.
 */
export class TtlKeyValueStoreBuilder<K, V> extends KeyValueStoreBuilder<K, V> {
  constructor(
    supplier: KeyValueBytesStoreSupplier,
    private readonly ttlKeySerde: Serde<K> | undefined,
    private readonly ttlValueSerde: Serde<V> | undefined,
    readonly ttlMs: number,
  ) {
    super(supplier, ttlKeySerde, ttlValueSerde);
  }

  override build(defaults: SerdeDefaults = {}, options: StoreBuildOptions = {}): KeyValueStore<K, V> {
    const entries = new TtlEntrySerde(resolveSerde(this.ttlValueSerde, defaults, 'value', this.name));
    const inner = new KeyValueStoreBuilder<K, TtlEntry<V>>(this.supplier, this.ttlKeySerde, entries);
    if (this.loggingEnabled) inner.withLoggingEnabled(this.logConfig);
    else inner.withLoggingDisabled();
    if (this.cachingEnabled) inner.withCachingEnabled();
    else inner.withCachingDisabled();
    return new TtlKeyValueStore(inner.build(defaults, options), this.ttlMs);
  }
}
