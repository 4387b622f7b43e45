import type { Serde } from '../serde/serde.ts';
import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import * as codec from './internal/versioned-key-codec.ts';
import { StateStoreError } from './state-store-error.ts';
import type { KeyValueStore, StateStore, StateStoreContext } from './state-store.ts';

/** One version of a key: its value (null: deleted) and when it became valid. */
export interface VersionedRecord<V> {
  readonly value: V | null;
  /** Start of validity (the event time of the write), inclusive. */
  readonly validFrom: number;
  /** Start of the next version (exclusive end of validity); undefined for the latest. */
  readonly validTo: number | undefined;
}

/**
 * A key-value store that keeps every version of a key for `historyRetentionMs` of event
 * time (KIP-889), so it can answer "what was the value of k at time t". Writes carry
 * their event time and may arrive out of order: each lands in its place in the history.
 *
 * Retention: stream time of the store is the largest write time seen. A write older than
 * stream time − history retention is refused (`put` returns false; the caller reports
 * it), and a read as of such a time returns undefined (the history no longer covers it).
 * Versions older than the one valid at the retention bound are removed when their key is
 * next read as of an older time, and by a sweep at a flush once stream time has moved a
 * tenth of the history retention since the last sweep. The latest version of each key is read synchronously;
 * reads as of an earlier time scan the key's history (async).
 *
 * Storage: one ordered byte store, change-logged like every store (see
 * internal/versioned-key-codec.ts for the layout).
 */
export class VersionedKeyValueStore<K, V> implements StateStore, BatchRestorable {
  private topic: string;
  private observed = -1;
  private lastSweep = -1;

  constructor(
    private readonly inner: KeyValueStore<Buffer, Buffer>,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    readonly historyRetentionMs: number,
  ) {
    this.topic = `${inner.name}-changelog`;
  }

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  /** Largest write time seen. */
  get observedStreamTime(): number {
    return this.observed;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.topic = `${context.applicationId}-${this.inner.name}-changelog`;
    await this.keySerde.prepare?.(this.topic);
    await this.valueSerde.prepare?.(this.topic);
    await this.inner.init(context);
    this.loadObserved();
  }

  /** Writes `value` (null: a delete) valid from `timestamp`; false when it is older than the history retention. */
  put(key: K, value: V | null, timestamp: number): boolean {
    const k = this.key(key);
    const bytes = value === null ? null : this.valueSerde.serialize(this.topic, value);
    if (timestamp < this.observed - this.historyRetentionMs) return false;
    if (timestamp > this.observed) {
      this.observed = timestamp;
      this.inner.put(codec.OBSERVED_KEY, codec.encodeTime(timestamp));
    }
    const latestBytes = this.inner.get(codec.latestKey(k));
    const latest = latestBytes === undefined ? undefined : codec.decodeLatest(latestBytes);
    if (latest === undefined || timestamp >= latest.validFrom) {
      if (latest !== undefined && timestamp > latest.validFrom)
        this.inner.put(codec.historyKey(k, latest.validFrom), codec.encodeValue(latest.value));
      this.inner.put(codec.latestKey(k), codec.encodeLatest(timestamp, bytes));
    } else this.inner.put(codec.historyKey(k, timestamp), codec.encodeValue(bytes));
    return true;
  }

  /** The latest version of `key` (undefined: never written). Synchronous. */
  getLatest(key: K): VersionedRecord<V> | undefined {
    const bytes = this.inner.get(codec.latestKey(this.key(key)));
    if (bytes === undefined) return undefined;
    const l = codec.decodeLatest(bytes);
    return { value: this.value(l.value), validFrom: l.validFrom, validTo: undefined };
  }

  /**
   * The version of `key` valid at `asOf`: the one with the largest validFrom <= asOf.
   * Synchronous (no promise) when that is the latest version; undefined when there is
   * none or `asOf` is older than the history retention.
   */
  get(key: K, asOf: number): VersionedRecord<V> | undefined | Promise<VersionedRecord<V> | undefined> {
    const latest = this.getLatest(key);
    if (latest === undefined) return undefined;
    if (asOf >= latest.validFrom) return latest;
    if (asOf < this.observed - this.historyRetentionMs) return undefined;
    return this.getOlder(this.key(key), asOf, latest.validFrom);
  }

  private async getOlder(k: Buffer, asOf: number, latestFrom: number): Promise<VersionedRecord<V> | undefined> {
    const horizon = this.observed - this.historyRetentionMs;
    let found: { from: number; value: Buffer | null } | undefined;
    let validTo = latestFrom;
    const expired: Buffer[] = [];
    let previousKey: Buffer | undefined;
    for await (const e of this.inner.range(codec.historyKey(k, 0), codec.historyKey(k, latestFrom))) {
      const from = codec.historyTime(e.key, k);
      if (from === undefined) continue;
      if (from <= horizon && previousKey !== undefined) expired.push(previousKey);
      previousKey = from <= horizon ? e.key : undefined;
      if (from <= asOf) found = { from, value: codec.decodeValue(e.value) };
      else if (validTo === latestFrom) validTo = from;
    }
    for (const key of expired) this.inner.delete(key);
    if (found === undefined) return undefined;
    return { value: this.value(found.value), validFrom: found.from, validTo };
  }

  async flush(): Promise<void> {
    if (this.observed >= 0 && this.observed - this.lastSweep >= this.historyRetentionMs / 10) {
      await this.sweep();
      this.lastSweep = this.observed;
    }
    await this.inner.flush();
  }

  /** Deletes, per key, the older versions that were superseded at or before the retention bound. */
  private async sweep(): Promise<void> {
    const horizon = this.observed - this.historyRetentionMs;
    const doomed: Buffer[] = [];
    let group: Buffer | undefined;
    let previous: Buffer | undefined;
    for await (const e of this.inner.range(Buffer.from([codec.HISTORY]), Buffer.from([codec.HISTORY + 1]))) {
      if (e.key[0] !== codec.HISTORY) continue;
      const keyBytes = e.key.subarray(1, e.key.length - 8);
      const from = codec.historyTime(e.key, keyBytes)!;
      if (group === undefined || !group.equals(keyBytes)) {
        group = Buffer.from(keyBytes);
        previous = undefined;
      }
      if (from <= horizon && previous !== undefined) doomed.push(previous);
      previous = from <= horizon ? e.key : undefined;
    }
    for (const key of doomed) this.inner.delete(key);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  restore(key: Buffer, value: Buffer | null): void {
    restoreOne(this.inner, key, value);
    if (value !== null && key.equals(codec.OBSERVED_KEY))
      this.observed = Math.max(this.observed, codec.decodeTime(value));
  }
  beginRestore(): void {
    asBatchRestorable(this.inner).beginRestore();
  }
  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.inner).restoreBatch(records);
  }
  async endRestore(): Promise<void> {
    await asBatchRestorable(this.inner).endRestore();
    this.loadObserved();
  }

  private loadObserved(): void {
    const saved = this.inner.get(codec.OBSERVED_KEY);
    if (saved !== undefined) this.observed = Math.max(this.observed, codec.decodeTime(saved));
  }

  private value(bytes: Buffer | null): V | null {
    return bytes === null ? null : this.valueSerde.deserialize(this.topic, bytes);
  }

  private key(key: K): Buffer {
    const bytes = this.keySerde.serialize(this.topic, key);
    if (bytes === null)
      throw new StateStoreError('STORE_SERDE', `store ${this.name}: key serialized to null`, {
        context: { store: this.name },
      });
    return bytes;
  }
}
