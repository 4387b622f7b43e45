import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';
import { fromKeyString, toKeyString } from './internal/bytes.ts';
import { SortedKeyList } from './internal/sorted-key-list.ts';

/** New keys wait unsorted until a scan, or until there are this many (at least) of them... */
const PENDING_MIN = 4096;
/** ...or this fraction of the store: a merge then costs O(n) once per n / 8 new keys. */
const PENDING_SHARE = 8;
/**
 * Pending keys are merged in one pass once they are at least 1/32 of the store, else inserted
 * one by one (500,000 keys: 64 inserts cost under 1 ms, a merge about 45 ms; at 1/32 the
 * merge is the cheaper).
 */
const MERGE_SHARE = 32;

/**
 * A byte store in memory, in key order for scans: values in a Map under the latin1 string of
 * their key (internal/bytes.ts: JS string order is LevelDB's byte order) and the keys in a
 * SortedKeyList, where a put of a new key or a delete costs a binary search and a splice
 * within a chunk of at most 1,000 keys, however large the store. Stores that interleave
 * writes with scans (sessions, joins, window and session stores, a per-user history) stay
 * O(log n) per record.
 *
 * New keys are put in order lazily: they wait in a set until the next scan (or until they are
 * an eighth of the store), then go in one by one when they are few for the store's size, or
 * sorted and merged in one pass when they are at least 1/32 of it. A store that is written much and scanned rarely (an id table
 * swept once an hour of stream time) then pays for the order once per batch of new keys, not
 * a random search and splice per key (about 4 µs each on a large store, measured as 1.5 % of
 * the medallion's thread for the silver gate alone). Scans copy the matching keys and values
 * when they start, so writes made while a scan runs do not disturb it. Not persistent:
 * restored from the changelog when a task starts.
 */
export class InMemoryKeyValueStore implements KeyValueStore<Buffer, Buffer> {
  readonly persistent = false;
  private readonly values = new Map<string, Buffer>();
  private readonly keys = new SortedKeyList();
  /** Keys in `values` that are not in `keys` yet. */
  private readonly pending = new Set<string>();

  constructor(readonly name: string) {}

  async init(_context: StateStoreContext): Promise<void> {}

  get(key: Buffer): Buffer | undefined {
    return this.values.get(toKeyString(key));
  }

  put(key: Buffer, value: Buffer): void {
    if (value === null || value === undefined) {
      this.delete(key);
      return;
    }
    const keyString = toKeyString(key);
    if (!this.values.has(keyString)) {
      this.pending.add(keyString);
      if (this.pending.size >= PENDING_MIN && this.pending.size * PENDING_SHARE >= this.values.size) this.orderPending();
    }
    this.values.set(keyString, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  delete(key: Buffer): Buffer | undefined {
    const keyString = toKeyString(key);
    const old = this.values.get(keyString);
    if (old !== undefined) {
      this.values.delete(keyString);
      if (!this.pending.delete(keyString)) this.keys.remove(keyString);
    }
    return old;
  }

  range(from?: Buffer, to?: Buffer): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    this.orderPending();
    const keys = this.keys.slice(from === undefined ? undefined : toKeyString(from), to === undefined ? undefined : toKeyString(to));
    const values = keys.map((k) => this.values.get(k)!);
    return (async function* () {
      for (let i = 0; i < keys.length; i++) yield { key: fromKeyString(keys[i]!), value: values[i]! };
    })();
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    return this.range();
  }

  approximateNumEntries(): number {
    return this.values.size;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.values.clear();
    this.keys.clear();
    this.pending.clear();
  }

  /**
   * Puts the pending keys in order: one by one while they are few for the store's size (each
   * insert is a search and a splice within one chunk), else sorted and merged in one pass (a
   * rebuild of the whole list, worth it only once the keys are a sizable share of it).
   */
  private orderPending(): void {
    if (this.pending.size === 0) return;
    if (this.pending.size * MERGE_SHARE < this.values.size) for (const key of this.pending) this.keys.insert(key);
    else this.keys.insertSorted([...this.pending].sort());
    this.pending.clear();
  }

  restore(key: Buffer, value: Buffer | null): void {
    if (value === null) this.delete(key);
    else this.put(key, value);
  }
}
