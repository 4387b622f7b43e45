import type { CachingOptions } from './caching-key-value-store.ts';
import { CachingSegmentedStore } from './internal/caching-segmented-store.ts';
import { decodeWindowKey, windowKey } from './internal/window-key-codec.ts';
import { WindowKeyValueView, type EncodedWindowStore } from './internal/window-key-value-view.ts';
import type { WindowFlushListener } from './cached-forwarding.ts';
import type { WindowEntry, WindowStore, WindowValue } from './window-store.ts';

/**
 * A write-back cache in front of a window store (typically change-logging over
 * segmented), so a windowed aggregation updating one window many times between commits
 * writes it to the store and its changelog once. It is the key-value cache
 * (caching-key-value-store.ts) over a view of the window store keyed by `[key][start]`
 * (internal/caching-segmented-store.ts). Point reads and `fetchRange` (one key) merge
 * the cache with the store; `fetchKeyRange` and `all` first write the cache down
 * (synchronously) and then read the store. The cache tracks the largest window start it
 * was given, so expired windows are neither returned nor kept (puts of expired windows
 * are dropped) even before the store below has seen the newer ones. Not for
 * duplicate-retaining stores (joins), whose every put is distinct.
 */
export class CachingWindowStore extends CachingSegmentedStore<EncodedWindowStore> implements WindowStore<Buffer, Buffer> {
  constructor(inner: EncodedWindowStore, options: CachingOptions = {}) {
    if (inner.retainDuplicates) throw new TypeError(`window store ${inner.name} retains duplicates and cannot be cached`);
    super(inner, new WindowKeyValueView(inner), { ...options, dropTransientDeletes: false });
  }

  get windowSize(): number {
    return this.inner.windowSize;
  }

  /** Observes each window the cache writes down, with the value the store held before. */
  setFlushListener(listener: WindowFlushListener<Buffer, Buffer> | undefined): void {
    this.cache.setFlushListener(
      listener === undefined
        ? undefined
        : (changelogKey, value, timestamp, old) => {
            const w = decodeWindowKey(changelogKey, false);
            listener(w.key, w.windowStart, value, old, timestamp);
          },
    );
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (this.admit(windowStart)) this.write(windowKey(key, windowStart), value);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    return this.isExpired(windowStart) ? undefined : this.cache.get(windowKey(key, windowStart));
  }

  async *fetchRange(key: Buffer, timeFrom: number, timeTo: number): AsyncGenerator<WindowValue<Buffer>> {
    if (timeTo < 0 || timeFrom > timeTo) return;
    const from = windowKey(key, Math.max(0, timeFrom));
    const to = windowKey(key, Math.min(timeTo, Number.MAX_SAFE_INTEGER));
    for await (const entry of this.cache.range(from, to)) {
      const w = decodeWindowKey(entry.key, false);
      if (w.key.length !== key.length || this.isExpired(w.windowStart)) continue;
      yield { windowStart: w.windowStart, value: entry.value };
    }
  }

  fetchKeyRange(keyFrom: Buffer | undefined, keyTo: Buffer | undefined, timeFrom: number, timeTo: number): AsyncIterable<WindowEntry<Buffer, Buffer>> {
    this.cache.writeDown();
    return this.inner.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo);
  }

  all(): AsyncIterable<WindowEntry<Buffer, Buffer>> {
    this.cache.writeDown();
    return this.inner.all();
  }
}
