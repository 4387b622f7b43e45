import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';

/**
 * A byte store in memory. Keys are kept in a Map under their latin1 string (one char
 * per byte), whose JS string order equals unsigned byte order, LevelDB's order. A
 * sorted key array is maintained lazily, so that writes stay O(1): new keys are
 * collected and merged in by binary search at the next scan when they are few (the
 * put-then-scan pattern of joins and session windows), or the array is re-sorted when
 * they are many (a restore); deleted keys stay in the array until then and are skipped.
 * Scans iterate a snapshot taken when the scan starts: writes
 * made while a scan runs do not disturb it. Not persistent: restored from the
 * changelog when a task starts.
 */
export class InMemoryKeyValueStore implements KeyValueStore<Buffer, Buffer> {
  readonly persistent = false;
  private readonly entries = new Map<string, Buffer>();
  private sortedKeys: string[] | null = [];
  /** Keys added since `sortedKeys` was built, not in it yet. */
  private added: string[] = [];
  /** Keys deleted since `sortedKeys` was built, still in it. */
  private readonly removed = new Set<string>();

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
    if (this.sortedKeys !== null && !this.entries.has(k)) {
      if (this.removed.has(k)) this.removed.delete(k);
      else this.added.push(k);
    }
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
      if (this.sortedKeys !== null) this.removed.add(k);
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
    this.added = [];
    this.removed.clear();
  }

  restore(key: Buffer, value: Buffer | null): void {
    if (value === null) this.delete(key);
    else this.put(key, value);
  }

  private snapshot(from: string | undefined, to: string | undefined): KeyValueIteratorEntry<Buffer, Buffer>[] {
    const keys = this.sorted();
    const out: KeyValueIteratorEntry<Buffer, Buffer>[] = [];
    if (from !== undefined && to !== undefined && from > to) return out;
    let i = from === undefined ? 0 : lowerBound(keys, from);
    for (; i < keys.length; i++) {
      const k = keys[i]!;
      if (to !== undefined && k > to) break;
      const value = this.entries.get(k);
      if (value !== undefined) out.push({ key: Buffer.from(k, 'latin1'), value });
    }
    return out;
  }

  /** The sorted key array, brought up to date (it may still hold deleted keys: skip them). */
  private sorted(): string[] {
    let keys = this.sortedKeys;
    const many = keys === null || this.added.length * 16 > keys.length + 16 || this.removed.size * 2 > keys.length;
    if (many) keys = [...this.entries.keys()].sort();
    else for (const k of this.added) keys!.splice(lowerBound(keys!, k), 0, k);
    this.added = [];
    if (many) this.removed.clear();
    this.sortedKeys = keys;
    return keys!;
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
