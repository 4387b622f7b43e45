import type { StateStore } from './state-store.ts';

/** One window of one key: the window is [windowStart, windowEnd) in event-time ms. */
export interface WindowEntry<K, V> {
  key: K;
  windowStart: number;
  windowEnd: number;
  value: V;
}

/** A window of a known key, as `fetchRange` yields it. */
export interface WindowValue<V> {
  windowStart: number;
  value: V;
}

export interface WindowStoreOptions {
  /** Window size in ms: `windowEnd = windowStart + windowSize`. */
  windowSize: number;
  /**
   * How long a window is kept, measured back from the largest window start seen:
   * a window is dropped once `windowStart <= observed − retention`. For a windowed
   * aggregation use size + grace (the platform's default grace is 48 hours), so a window
   * lives until the watermark has passed its end plus grace.
   */
  retentionMs: number;
  /** Keep every put as its own entry, even for an equal (key, start): for stream-stream joins. */
  retainDuplicates?: boolean;
  /** Span of one time segment; default max(retention / 2, 60 s), as in Kafka Streams. */
  segmentIntervalMs?: number;
}

/**
 * A store of values per (key, window start). Point reads are synchronous; scans are
 * async and ordered. Windows older than the retention are neither returned nor kept.
 */
export interface WindowStore<K, V> extends StateStore {
  readonly windowSize: number;
  readonly retentionMs: number;
  /** Stores `value` for the window of `key` starting at `windowStart`; null deletes it. */
  put(key: K, value: V | null, windowStart: number): void;
  fetch(key: K, windowStart: number): V | undefined;
  /** Windows of `key` with a start in [timeFrom, timeTo], ascending by start. */
  fetchRange(key: K, timeFrom: number, timeTo: number): AsyncIterable<WindowValue<V>>;
  /**
   * Windows of the keys in [keyFrom, keyTo] (bounds optional) with a start in
   * [timeFrom, timeTo], ordered by time segment, then key bytes, then start.
   */
  fetchKeyRange(keyFrom: K | undefined, keyTo: K | undefined, timeFrom: number, timeTo: number): AsyncIterable<WindowEntry<K, V>>;
  /** Every live window, in the order of `fetchKeyRange`. */
  all(): AsyncIterable<WindowEntry<K, V>>;
}

export function defaultSegmentInterval(retentionMs: number): number {
  return Math.max(Math.floor(retentionMs / 2), 60_000);
}
