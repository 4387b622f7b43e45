/**
 * A window of event time: `[start, end)` in epoch ms (end exclusive). A record with
 * timestamp `t` is in the window when `start <= t < end`.
 */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** The key of a windowed aggregation's result: the grouping key and its window. */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

/** The platform default grace (allowed lateness) of every window: 48 hours. */
export const DEFAULT_GRACE_MS = 48 * 3_600_000;
