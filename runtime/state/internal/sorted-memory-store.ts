import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from '../state-store.ts';
import { fromKeyString, toKeyString } from './bytes.ts';
import { SortedKeyList } from './sorted-key-list.ts';

/**
 * An in-memory byte store kept sorted at all times (SortedKeyList), for stores that
 * interleave writes with scans, as window and session stores do on every record of a
 * join or a sliding window. Scans copy the matching keys and values when they start, so
 * later writes do not disturb them. Not persistent: restored from the changelog.
 */
export class SortedMemoryStore implements KeyValueStore<Buffer, Buffer> {
  readonly persistent = false;
  private readonly values = new Map<string, Buffer>();
  private readonly keys = new SortedKeyList();

  constructor(readonly name: string) {}

  async init(_context: StateStoreContext): Promise<void> {}

  get(key: Buffer): Buffer | undefined {
    return this.values.get(toKeyString(key));
  }

  put(key: Buffer, value: Buffer): void {
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
