import type { WindowFlushListener } from './cached-forwarding.ts';
import { CachingWindowStore } from './caching-window-store.ts';
import { TypedSegmentedStore } from './internal/typed-segmented-store.ts';
import type { WindowEntry, WindowStore, WindowValue } from './window-store.ts';

/**
 * The typed layer of a window store: keys and values through serdes (called with the
 * changelog topic), so keys order by their serialized bytes; the serdes and what passes
 * straight down are in internal/typed-segmented-store.ts.
 */
export class TypedWindowStore<K, V> extends TypedSegmentedStore<K, V, WindowStore<Buffer, Buffer>> implements WindowStore<K, V> {
  get windowSize(): number {
    return this.bytes.windowSize;
  }

  /**
   * Decodes the write-downs of the cache below; returns false when there is no cache
   * (the caller then forwards every update itself). See CachedForwarding.
   */
  setFlushListener(listener: WindowFlushListener<K, V> | undefined): boolean {
    if (!(this.bytes instanceof CachingWindowStore)) return false;
    this.bytes.setFlushListener(
      listener === undefined
        ? undefined
        : (key, start, v, old, ts) => listener(this.deserializeKey(key), start, this.nullableValue(v), this.nullableValue(old), ts),
    );
    return true;
  }

  put(key: K, value: V | null, windowStart: number): void {
    const bytes = this.serializeValue(value);
    this.bytes.put(this.key(key), bytes, windowStart);
  }

  fetch(key: K, windowStart: number): V | undefined {
    const bytes = this.bytes.fetch(this.key(key), windowStart);
    return bytes === undefined ? undefined : this.deserializeValue(bytes);
  }

  async *fetchRange(key: K, timeFrom: number, timeTo: number): AsyncGenerator<WindowValue<V>> {
    for await (const w of this.bytes.fetchRange(this.key(key), timeFrom, timeTo)) {
      yield { windowStart: w.windowStart, value: this.deserializeValue(w.value) };
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

  private async *typed(entries: AsyncIterable<WindowEntry<Buffer, Buffer>>): AsyncGenerator<WindowEntry<K, V>> {
    for await (const e of entries) {
      yield { key: this.deserializeKey(e.key), windowStart: e.windowStart, windowEnd: e.windowEnd, value: this.deserializeValue(e.value) };
    }
  }
}
