import type { Headers } from '../processor/record.ts';

/**
 * What a store needs from the task that owns it. The change-logging layer sends every
 * write through `logChange`, which the task routes to `<application.id>-<store>-changelog`
 * (partition = task partition) inside the task's transaction under exactly-once.
 */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: string;
  /** The input partition the task owns; the changelog partition is the same number. */
  readonly partition: number;
  /** Folder for this task's persistent stores: `<state.dir>/<application.id>/<taskId>`. */
  readonly stateDir: string;
  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number, headers?: Headers): void;
  /**
   * Event time of the record being processed (stream time inside a punctuator). Stores
   * stamp their changelog records with it; a caching store keeps the time of each
   * entry's last write. Optional: without it, changelog records carry timestamp 0.
   */
  currentTimestamp?(): number;
}

/**
 * Every store is a stack of decorators over a byte store, as in Kafka Streams:
 * metered(caching(changeLogging(inner))). `flush` runs at each commit, before the
 * producer transaction commits; it writes buffered changes to the inner store and the
 * changelog.
 */
export interface StateStore {
  readonly name: string;
  readonly persistent: boolean;
  init(context: StateStoreContext): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Applies one changelog record during restoration (value null = delete). */
  restore?(key: Buffer, value: Buffer | null): void;
}

export interface KeyValueIteratorEntry<K, V> {
  key: K;
  value: V;
}

/**
 * Key-value store: reads and writes are synchronous (a write cache in front of
 * LevelDB's getSync); ordered scans are async iterators in key byte order.
 */
export interface KeyValueStore<K, V> extends StateStore {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putIfAbsent(key: K, value: V): V | undefined;
  delete(key: K): V | undefined;
  /** Keys from `from` (inclusive) to `to` (inclusive); either may be omitted. */
  range(from?: K, to?: K): AsyncIterable<KeyValueIteratorEntry<K, V>>;
  all(): AsyncIterable<KeyValueIteratorEntry<K, V>>;
  approximateNumEntries(): number;
}
