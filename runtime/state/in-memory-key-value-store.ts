import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';

/**
 * A byte store in memory. Keys are kept in a Map under their latin1 string (one char
 * per byte), whose JS string order equals unsigned byte order, LevelDB's order. A
 * sorted key array is rebuilt lazily, on the first scan after a new key was added, so
 * that writes stay O(1). Scans iterate a snapshot taken when the scan starts: writes
 * made while a scan runs do not disturb it. Not persistent: restored from the
 * changelog when a task starts.
 */
export class InMemoryKeyValueStore implements KeyValueStore<Buffer, Buffer> {
  readonly persistent = false;
  private readonly entries = new Map<string, Buffer>();
  private sortedKeys: string[] | null = [];

  constructor(readonly name: string) {}

  async init(_context: StateStoreContext): Promise<void> {}

  get(key: Buffer): Buffer | undefined {
    return this.entries.get(key.toString('latin1'));
  }

  put(key: Buffer, value: Buffer): void {
    if (value === null || value === undefined) {
      this.delete(key);
      return;
    }
    const k = key.toString('latin1');
    if (this.sortedKeys !== null && !this.entries.has(k)) this.sortedKeys = null;
    this.entries.set(k, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  delete(key: Buffer): Buffer | undefined {
    const k = key.toString('latin1');
    const old = this.entries.get(k);
    if (old !== undefined) {
      this.entries.delete(k);
      if (this.sortedKeys !== null) this.sortedKeys = null;
    }
    return old;
  }

  range(from?: Buffer, to?: Buffer): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    return toAsync(this.snapshot(from?.toString('latin1'), to?.toString('latin1')));
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    return toAsync(this.snapshot(undefined, undefined));
  }

  approximateNumEntries(): number {
    return this.entries.size;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
    this.sortedKeys = [];
  }

  restore(key: Buffer, value: Buffer | null): void {
    if (value === null) this.delete(key);
    else this.put(key, value);
  }

  private snapshot(from: string | undefined, to: string | undefined): KeyValueIteratorEntry<Buffer, Buffer>[] {
    if (this.sortedKeys === null) this.sortedKeys = [...this.entries.keys()].sort();
    const keys = this.sortedKeys;
    const out: KeyValueIteratorEntry<Buffer, Buffer>[] = [];
    if (from !== undefined && to !== undefined && from > to) return out;
    let i = from === undefined ? 0 : lowerBound(keys, from);
    for (; i < keys.length; i++) {
      const k = keys[i]!;
      if (to !== undefined && k > to) break;
      out.push({ key: Buffer.from(k, 'latin1'), value: this.entries.get(k)! });
    }
    return out;
  }
}

function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
