import type { StateStore } from './state-store.ts';

/** One session of one key: activity from `start` to `end`, both inclusive (event-time ms). */
export interface SessionEntry<K, V> {
  key: K;
  start: number;
  end: number;
  value: V;
}

export interface SessionStoreOptions {
  /**
   * How long a session is kept after its end, measured back from the largest session end
   * seen: a session is dropped once `end <= observed − retention`. For session windows
   * use inactivity gap + grace.
   */
  retentionMs: number;
  /** Span of one time segment; default max(retention / 2, 60 s). */
  segmentIntervalMs?: number;
}

/**
 * A store of values per (key, session). Session windows merge: to add a record at time
 * t with inactivity gap g, `findSessions(key, t − g, t + g)` gives the sessions to merge,
 * which are removed, and the merged session is put.
 */
export interface SessionStore<K, V> extends StateStore {
  readonly retentionMs: number;
  /** Stores `value` for the session [start, end] of `key`; null removes it. */
  put(key: K, start: number, end: number, value: V | null): void;
  remove(key: K, start: number, end: number): void;
  fetchSession(key: K, start: number, end: number): V | undefined;
  /**
   * Sessions of `key` with end ≥ `earliestSessionEnd` and start ≤ `latestSessionStart`,
   * ascending by end.
   */
  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): AsyncIterable<SessionEntry<K, V>>;
  /** Every live session of `key`, ascending by end. */
  fetch(key: K): AsyncIterable<SessionEntry<K, V>>;
  /** Every live session, ordered by time segment, then key bytes, then end. */
  all(): AsyncIterable<SessionEntry<K, V>>;
}
