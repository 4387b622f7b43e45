import type { BatchRestorable, RestoreRecord } from '../batch-restore.ts';
import { CachingKeyValueStore, type CachingOptions } from '../caching-key-value-store.ts';
import type { StateStoreContext } from '../state-store.ts';
import type { EncodedStoreView } from './encoded-store-view.ts';
import type { EncodedStore } from './segmented-store.ts';

/**
 * What the window and session caches share: the key-value cache over a view of the
 * store below keyed by changelog key, and retention. The cache tracks the largest
 * segment time (window start, session end) it was given, so expired entries are neither
 * returned nor kept (puts of them are dropped) even before the store below has seen the
 * newer ones. A subclass encodes its keys and adds the reads.
 */
export abstract class CachingSegmentedStore<S extends EncodedStore> implements BatchRestorable {
  protected readonly cache: CachingKeyValueStore;
  private observed = -1;

  constructor(
    protected readonly inner: S,
    view: EncodedStoreView<S>,
    options: CachingOptions,
  ) {
    this.cache = new CachingKeyValueStore(view, options);
  }

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  init(context: StateStoreContext): Promise<void> {
    return this.cache.init(context);
  }

  /** Writes the cache down now (synchronously). */
  writeDown(): void {
    this.cache.writeDown();
  }

  flush(): Promise<void> {
    return this.cache.flush();
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    this.cache.restore(key, value);
  }

  beginRestore(): void {
    this.cache.beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return this.cache.restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return this.cache.endRestore();
  }

  /** Advances the cache's stream time to `time`; false when an entry at `time` is expired (the store below would drop it too). */
  protected admit(time: number): boolean {
    if (time > this.observed) this.observed = time;
    return !this.isExpired(time);
  }

  /** Puts into the cache, or deletes (value null). */
  protected write(changelogKey: Buffer, value: Buffer | null): void {
    if (value === null) this.cache.delete(changelogKey);
    else this.cache.put(changelogKey, value);
  }

  protected isExpired(time: number): boolean {
    return time <= Math.max(this.observed, this.inner.observedStreamTime) - this.inner.retentionMs;
  }
}
