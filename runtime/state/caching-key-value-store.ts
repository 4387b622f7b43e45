import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import { isEmptyRange, toKeyString, toRange } from './internal/bytes.ts';
import { LruWriteCache, type CacheEntry } from './internal/lru-write-cache.ts';
import { mergeWithOverlay } from './internal/overlay.ts';
import { isKnownWriter, isTimestampedWriter } from './internal/timestamped-writer.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';

export interface CachingOptions {
  /**
   * Upper bound of the cache in bytes (keys, values, per-entry overhead, and the old value a
   * dirty entry keeps for the write-down when the store below is persistent). Default 10 MiB.
   */
  maxBytes?: number;
  /**
   * Write nothing for a key created and deleted again between two write-downs (neither
   * the store nor the changelog ever had it). Default true; the window cache turns it off,
   * because there every write also advances the store's stream time.
   */
  dropTransientDeletes?: boolean;
}

export const CACHING_DEFAULTS = { maxBytes: 10 * 1024 * 1024 } as const;

/** On overflow, the cache is evicted down to this fraction of `maxBytes`. */
const EVICT_TO = 0.9;

/**
 * Called for each entry the cache writes down (value null = delete), in write-down order,
 * with the value the store below held before (null = none).
 */
export type CacheFlushListener = (key: Buffer, value: Buffer | null, timestamp: number, oldValue: Buffer | null) => void;

/**
 * A write-back cache over a byte store. Writes stay in memory until `flush` (each
 * commit) or until the cache outgrows `maxBytes`; then every dirty entry is written down
 * once, so N writes to one key between commits cost one inner write and one changelog
 * record (none when the key was created and deleted again in between, by default). On overflow,
 * after writing the dirty entries down, least recently used entries
 * are evicted until the cache is under 90% of its bound. Reads check the cache first and keep what they load
 * (including "absent"). Each entry remembers the value the inner store holds (as of the last
 * write-down), which a write-down reports as the old value without reading it again. Scans
 * merge the dirty entries with a scan of the inner store.
 * `approximateNumEntries` is exact when the inner count is: each dirty entry remembers
 * whether the inner store holds its key.
 */
export class CachingKeyValueStore implements KeyValueStore<Buffer, Buffer>, BatchRestorable {
  private readonly cache: LruWriteCache;
  private context: StateStoreContext | undefined;
  /** Entries the dirty cache adds to (or removes from) the inner count. */
  private countDelta = 0;
  private listener: CacheFlushListener | undefined;
  private readonly dropTransientDeletes: boolean;

  constructor(
    private readonly inner: KeyValueStore<Buffer, Buffer>,
    options: CachingOptions = {},
  ) {
    this.cache = new LruWriteCache(options.maxBytes ?? CACHING_DEFAULTS.maxBytes, inner.persistent);
    this.dropTransientDeletes = options.dropTransientDeletes ?? true;
  }

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  /** Observes write-downs (the DSL forwards KTable updates from here, deduplicated per commit). */
  setFlushListener(listener: CacheFlushListener | undefined): void {
    this.listener = listener;
  }

  /** Whether a listener is set. */
  get hasFlushListener(): boolean {
    return this.listener !== undefined;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.context = context;
    await this.inner.init(context);
  }

  get(key: Buffer): Buffer | undefined {
    const keyString = toKeyString(key);
    const cached = this.cache.get(keyString);
    if (cached !== undefined) return cached.value ?? undefined;
    const value = this.inner.get(key);
    this.cache.set(keyString, key, value ?? null, false, value ?? null, 0);
    this.evictIfNeeded();
    return value;
  }

  put(key: Buffer, value: Buffer): void {
    this.write(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | undefined {
    const old = this.get(key);
    if (old === undefined) this.write(key, value);
    return old;
  }

  delete(key: Buffer): Buffer | undefined {
    const old = this.get(key);
    this.write(key, null);
    return old;
  }

  range(from?: Buffer, to?: Buffer): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    const bounds = toRange(from, to);
    if (isEmptyRange(bounds)) return (async function* () {})();
    return mergeWithOverlay(this.cache.dirtyOverlay(bounds), this.inner.range(from, to));
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    return this.range();
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries() + this.countDelta;
  }

  /** Writes the dirty entries to the inner store now, without flushing it (a synchronous step of `flush`). */
  writeDown(): void {
    this.writeDirty();
  }

  async flush(): Promise<void> {
    this.writeDirty();
    await this.inner.flush();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.cache.clear();
      await this.inner.close();
    }
  }

  restore(key: Buffer, value: Buffer | null): void {
    this.cache.remove(toKeyString(key));
    restoreOne(this.inner, key, value);
  }

  beginRestore(): void {
    this.writeDirty();
    this.cache.clear();
    asBatchRestorable(this.inner).beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.inner).restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.inner).endRestore();
  }

  private write(key: Buffer, value: Buffer | null): void {
    const keyString = toKeyString(key);
    const old = this.cache.get(keyString);
    if (old?.dirty === true) this.countDelta -= contribution(old);
    const timestamp = this.context?.currentTimestamp?.() ?? 0;
    const entry = old !== undefined ? this.cache.rewrite(keyString, old, value, timestamp) : this.cache.set(keyString, key, value, true, this.inner.get(key) ?? null, timestamp);
    this.countDelta += contribution(entry);
    this.evictIfNeeded();
  }

  /** Writes every dirty entry to the inner store (and so to the changelog), once. */
  private writeDirty(): void {
    const inner = this.inner;
    const timestamped = isTimestampedWriter(inner) ? inner : undefined;
    const known = isKnownWriter(inner) ? inner : undefined;
    const listener = this.listener;
    this.cache.drainDirty((entry) => {
      // Put and deleted again before reaching the store: neither it nor the changelog ever saw it.
      if (entry.value === null && !entry.below && this.dropTransientDeletes) return;
      if (timestamped !== undefined) timestamped.writeAt(entry.key, entry.value, entry.timestamp, entry.below);
      else if (known !== undefined) known.writeKnown(entry.key, entry.value, entry.below);
      else if (entry.value === null) inner.delete(entry.key);
      else inner.put(entry.key, entry.value);
      this.countDelta -= contribution(entry);
      // The cache marks the entry clean after this visit: its value is then the one below.
      if (listener !== undefined) listener(entry.key, entry.value, entry.timestamp, entry.belowValue);
    });
  }

  private evictIfNeeded(): void {
    if (!this.cache.overBudget) return;
    if (this.cache.dirtyCount > 0) this.writeDirty();
    // Evict a tenth more than needed, so that a cache smaller than the working set
    // writes down in batches rather than one entry per write.
    this.cache.evictTo(this.cache.maxBytes * EVICT_TO);
  }
}

/** How a dirty entry changes the entry count of the store below once written. */
function contribution(entry: CacheEntry): number {
  return (entry.value !== null ? 1 : 0) - (entry.below ? 1 : 0);
}
