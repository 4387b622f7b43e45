import { CachingKeyValueStore, type CacheFlushListener, type CachingOptions } from './caching-key-value-store.ts';
import { ChangeLoggingKeyValueStore } from './change-logging-key-value-store.ts';
import { MeteredKeyValueStore, type MeteredOptions, type StoreMetrics } from './metered-key-value-store.ts';
import type { KeyValueStore } from './state-store.ts';

export interface BytesStackOptions {
  /** Log every write to `<application.id>-<store>-changelog`. Default true. */
  logging?: boolean;
  /** The write-back cache above the change-logging layer; `false` (the default) turns it off. */
  caching?: CachingOptions | false;
  /** Sees each entry the cache writes down (deduplicated updates, as the DSL forwards them). */
  onCacheFlush?: CacheFlushListener;
}

/**
 * The byte-level decorators of a key-value store, outermost first:
 *
 *   caching → change-logging → inner (LevelDB or memory)
 *
 * so a `put` is absorbed by the cache and, at the next flush (or when the cache
 * overflows), written once to the inner store and once to the changelog. The typed layer
 * (serdes) goes on top of the result, and `meter` on top of that, giving Kafka Streams'
 * metered(typed(caching(changeLogging(inner)))). Restoration (`restore` or the batch
 * methods of batch-restore.ts) passes through every layer straight to `inner`.
 */
export function decorateKeyValueBytesStore(inner: KeyValueStore<Buffer, Buffer>, options: BytesStackOptions = {}): KeyValueStore<Buffer, Buffer> {
  let bytes: KeyValueStore<Buffer, Buffer> = inner;
  if (options.logging ?? true) bytes = new ChangeLoggingKeyValueStore(bytes);
  if (options.caching !== undefined && options.caching !== false) {
    const caching = new CachingKeyValueStore(bytes, options.caching);
    caching.setFlushListener(options.onCacheFlush);
    bytes = caching;
  }
  return bytes;
}

/** Adds the metered layer when there is a metrics sink; returns `store` unchanged otherwise. */
export function meterKeyValueStore<K, V>(store: KeyValueStore<K, V>, metrics?: StoreMetrics, options?: MeteredOptions): KeyValueStore<K, V> {
  return metrics === undefined ? store : new MeteredKeyValueStore(store, metrics, options);
}
