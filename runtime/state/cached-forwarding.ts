/**
 * Called for each entry a store's cache writes down (at a commit, or on eviction when
 * the cache is full), with the value written (null = delete) and the value the store held
 * before (null = none): the deduplicated update the DSL forwards downstream.
 */
export type TypedFlushListener<K, V> = (key: K, newValue: V | null, oldValue: V | null, timestamp: number) => void;

/**
 * A store layer that can report its cache's write-downs. `setFlushListener` returns
 * false when there is no cache below (caching off, or a cache size of 0): the caller then
 * forwards every update itself. `writeDown` writes the cache down now, synchronously
 * (the test driver does it after each record).
 */
export interface CachedForwarding<K, V> {
  setFlushListener(listener: TypedFlushListener<K, V> | undefined): boolean;
  writeDown(): void;
}

/** A window cache's write-down of one window: (key, window start, new, old, timestamp). */
export type WindowFlushListener<K, V> = (key: K, windowStart: number, newValue: V | null, oldValue: V | null, timestamp: number) => void;

/** A session cache's write-down of one session [start, end]: null new value = removed. */
export type SessionFlushListener<K, V> = (key: K, start: number, end: number, newValue: V | null, oldValue: V | null, timestamp: number) => void;

export function hasCachedForwarding<K, V>(store: unknown): store is CachedForwarding<K, V> {
  const s = store as Partial<CachedForwarding<K, V>> | null;
  return typeof s?.setFlushListener === 'function' && typeof s.writeDown === 'function';
}

/** Sets `listener` on `store` if it caches; returns whether updates will come through it. */
export function forwardOnCacheFlush<K, V>(store: unknown, listener: TypedFlushListener<K, V> | undefined): boolean {
  return hasCachedForwarding<K, V>(store) && store.setFlushListener(listener);
}

/** Writes a store's cache down now, if it has one (forwarding through its listener). */
export function writeDownCache(store: unknown): void {
  if (hasCachedForwarding(store)) store.writeDown();
}
