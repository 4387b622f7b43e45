import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';
import { fromKeyString, toKeyString } from './internal/bytes.ts';
import { SortedKeyList } from './internal/sorted-key-list.ts';

/**
 * A byte store in memory, kept sorted at all times: values in a Map under the latin1
 * string of their key (internal/bytes.ts: JS string order is LevelDB's byte order) and the
 * keys in a SortedKeyList, so a put of a new key or a delete costs a binary search and a
 * splice within a chunk of at most 1,000 keys, however large the store. Stores that
 * interleave writes with scans (sessions, joins, window and session stores, a per-user
 * history) stay O(log n) per record. Scans copy the matching keys and values when they
 * start, so writes made while a scan runs do not disturb it. Not persistent: restored from
 * the changelog when a task starts.
 */
export class InMemoryKeyValueStore implements KeyValueStore<Buffer, Buffer> {
  readonly persistent = false;
  private readonly values = new Map<string, Buffer>();
  private readonly keys = new SortedKeyList();

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
    if (!this.values.has(keyString)) this.keys.insert(keyString);
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
      this.keys.remove(keyString);
    }
    return old;
  }

  range(from?: Buffer, to?: Buffer): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
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
  }

  restore(key: Buffer, value: Buffer | null): void {
    if (value === null) this.delete(key);
    else this.put(key, value);
  }
}
