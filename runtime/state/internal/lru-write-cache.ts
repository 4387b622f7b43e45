import { compareKeyStrings, inRange, type KeyStringRange } from './bytes.ts';
import type { OverlayEntry } from './overlay.ts';

/** Bytes charged per entry on top of key (twice: bytes and map key) and value. */
const ENTRY_OVERHEAD = 96;

/**
 * Bytes charged for an entry: its key twice, its value, and (`chargeBelow`) the value below
 * while that is another Buffer (a dirty entry's old value, which a persistent store below
 * does not hold in memory; an in-memory store below holds that very Buffer anyway).
 */
function entrySize(key: Buffer, value: Buffer | null, belowValue: Buffer | null, chargeBelow: boolean): number {
  const below = chargeBelow && belowValue !== null && belowValue !== value ? belowValue.length : 0;
  return key.length * 2 + (value === null ? 0 : value.length) + below + ENTRY_OVERHEAD;
}

export interface CacheEntry {
  readonly key: Buffer;
  /** The value, or null for a delete (dirty) or a known-absent key (clean). */
  value: Buffer | null;
  dirty: boolean;
  /** Whether the store below holds this key right now (as of the last write-down). */
  below: boolean;
  /**
   * What the store below holds for this key (as of the last write-down; null: nothing), so
   * that a write-down can report the old value without reading the store below again.
   */
  belowValue: Buffer | null;
  /** Event time of the last write, stamped on the changelog record. */
  timestamp: number;
  size: number;
  /** Used since the entry was inserted or last given a second chance. */
  recent: boolean;
}

/**
 * A byte-bounded map of cache entries, keyed by key string, evicting least recently used
 * entries first. Recency is kept lazily ("second chance"): an access only sets the
 * entry's `recent` flag; `evictOldest` walks the map from its oldest insertion, moves a
 * recently used entry to the back (clearing the flag) and evicts the first one that was
 * not used since it was last moved. Accesses stay O(1) with no map reshuffling, and
 * eviction order approximates LRU closely. Dirty keys are also kept in a set, in the
 * order they became dirty, so a flush visits only them. The cache writes nothing
 * itself: the caching store decides when to write dirty entries down and when to evict.
 */
export class LruWriteCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly dirtyKeys = new Set<string>();
  private usedBytes = 0;

  /** `chargeBelow`: count dirty entries' old values in the budget (when the store below is persistent). */
  constructor(
    readonly maxBytes: number,
    private readonly chargeBelow = true,
  ) {}

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

  /** The entry, marked recently used. */
  get(keyString: string): CacheEntry | undefined {
    const entry = this.entries.get(keyString);
    if (entry !== undefined) entry.recent = true;
    return entry;
  }

  /** Adds an entry, or updates the existing one in place, and marks it recently used. `belowValue`: what the store below holds (null: nothing). */
  set(keyString: string, key: Buffer, value: Buffer | null, dirty: boolean, belowValue: Buffer | null, timestamp: number): CacheEntry {
    const size = entrySize(key, value, belowValue, this.chargeBelow);
    const below = belowValue !== null;
    let entry = this.entries.get(keyString);
    if (entry === undefined) {
      entry = { key, value, dirty, below, belowValue, timestamp, size, recent: false };
      this.entries.set(keyString, entry);
    } else {
      this.usedBytes -= entry.size;
      entry.value = value;
      entry.dirty = dirty;
      entry.below = below;
      entry.belowValue = belowValue;
      entry.timestamp = timestamp;
      entry.size = size;
      entry.recent = true;
    }
    this.usedBytes += size;
    if (dirty) this.dirtyKeys.add(keyString);
    else this.dirtyKeys.delete(keyString);
    return entry;
  }

  /** Makes `entry` (the current entry of `keyString`) dirty with a new value, in place. */
  rewrite(keyString: string, entry: CacheEntry, value: Buffer | null, timestamp: number): CacheEntry {
    const size = entrySize(entry.key, value, entry.belowValue, this.chargeBelow);
    this.usedBytes += size - entry.size;
    entry.value = value;
    entry.size = size;
    entry.timestamp = timestamp;
    entry.recent = true;
    if (!entry.dirty) {
      entry.dirty = true;
      this.dirtyKeys.add(keyString);
    }
    return entry;
  }

  remove(keyString: string): CacheEntry | undefined {
    const entry = this.entries.get(keyString);
    if (entry === undefined) return undefined;
    this.entries.delete(keyString);
    this.dirtyKeys.delete(keyString);
    this.usedBytes -= entry.size;
    return entry;
  }

  /**
   * Evicts least recently used entries (see the class comment) until the cache holds at
   * most `targetBytes` or one entry. One pass over the map, whatever the number evicted.
   * Dirty entries must have been written down before.
   */
  evictTo(targetBytes: number): number {
    let evicted = 0;
    for (const [keyString, entry] of this.entries) {
      if (this.usedBytes <= targetBytes || this.entries.size <= 1) break;
      if (entry.recent) {
        entry.recent = false;
        this.entries.delete(keyString);
        this.entries.set(keyString, entry);
        continue;
      }
      this.remove(keyString);
      evicted++;
    }
    return evicted;
  }

  /**
   * Visits the dirty entries in the order they became dirty, marking each clean after the
   * visit: the store below then holds its value (`below`, `belowValue`).
   */
  drainDirty(visit: (entry: CacheEntry) => void): void {
    for (const keyString of this.dirtyKeys) {
      const entry = this.entries.get(keyString)!;
      visit(entry);
      entry.dirty = false;
      entry.below = entry.value !== null;
      entry.belowValue = entry.value;
      const size = entrySize(entry.key, entry.value, entry.belowValue, this.chargeBelow);
      this.usedBytes += size - entry.size;
      entry.size = size;
    }
    this.dirtyKeys.clear();
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
