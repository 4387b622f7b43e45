import { compareKeyStrings, inRange, type KeyStringRange } from './bytes.ts';
import type { OverlayEntry } from './overlay.ts';

/** Bytes charged per entry on top of key (twice: bytes and map key) and value. */
const ENTRY_OVERHEAD = 96;

export interface CacheEntry {
  readonly key: Buffer;
  /** The value, or null for a delete (dirty) or a known-absent key (clean). */
  value: Buffer | null;
  dirty: boolean;
  /** Whether the store below holds this key right now (as of the last write-down). */
  below: boolean;
  /** Event time of the last write, stamped on the changelog record. */
  timestamp: number;
  size: number;
}

/**
 * A byte-bounded LRU map of cache entries, keyed by key string. JS Maps iterate in
 * insertion order, so re-inserting an entry on each access keeps the least recently
 * used entry first. Dirty keys are also kept in a set, in the order they became dirty,
 * so a flush visits only them. The cache never writes anything itself: the caching
 * store decides when to write dirty entries down and when to evict.
 */
export class LruWriteCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly dirtyKeys = new Set<string>();
  private usedBytes = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.usedBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get dirtyCount(): number {
    return this.dirtyKeys.size;
  }

  get overBudget(): boolean {
    return this.usedBytes > this.maxBytes;
  }

  /** The entry, marked most recently used. */
  get(keyString: string): CacheEntry | undefined {
    const entry = this.entries.get(keyString);
    if (entry !== undefined) {
      this.entries.delete(keyString);
      this.entries.set(keyString, entry);
    }
    return entry;
  }

  /** Adds or replaces an entry as the most recently used one. */
  set(keyString: string, entry: Omit<CacheEntry, 'size'>): CacheEntry {
    this.remove(keyString);
    const size = entry.key.length * 2 + (entry.value?.length ?? 0) + ENTRY_OVERHEAD;
    const stored: CacheEntry = { ...entry, size };
    this.entries.set(keyString, stored);
    this.usedBytes += size;
    if (stored.dirty) this.dirtyKeys.add(keyString);
    return stored;
  }

  remove(keyString: string): CacheEntry | undefined {
    const entry = this.entries.get(keyString);
    if (entry === undefined) return undefined;
    this.entries.delete(keyString);
    this.dirtyKeys.delete(keyString);
    this.usedBytes -= entry.size;
    return entry;
  }

  /** Removes and returns the least recently used entry. */
  evictOldest(): CacheEntry | undefined {
    const first = this.entries.keys().next();
    return first.done === true ? undefined : this.remove(first.value);
  }

  /** Dirty entries in the order they became dirty; `markClean` each one after writing it. */
  *dirtyEntries(): Generator<[string, CacheEntry]> {
    for (const keyString of [...this.dirtyKeys]) {
      const entry = this.entries.get(keyString);
      if (entry !== undefined && entry.dirty) yield [keyString, entry];
    }
  }

  markClean(keyString: string, entry: CacheEntry): void {
    entry.dirty = false;
    this.dirtyKeys.delete(keyString);
  }

  /** Sorted copy of the dirty entries in `range`: what a scan must merge over the store below. */
  dirtyOverlay(range: KeyStringRange): OverlayEntry[] {
    const overlay: OverlayEntry[] = [];
    for (const keyString of this.dirtyKeys) {
      if (inRange(keyString, range)) overlay.push({ keyString, value: this.entries.get(keyString)!.value });
    }
    return overlay.sort((a, b) => compareKeyStrings(a.keyString, b.keyString));
  }

  clear(): void {
    this.entries.clear();
    this.dirtyKeys.clear();
    this.usedBytes = 0;
  }
}
