/** Keys per chunk before a chunk splits in two. */
const MAX_CHUNK = 1000;

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A sorted set of key strings with O(log n) search, cheap inserts and deletes, and
 * ordered slices: a list of sorted chunks of at most 1000 keys, with the last key of
 * each chunk in `maxes` (the layout of Python's sortedcontainers). An insert or delete
 * binary-searches the chunk, then splices within it, so it moves at most 1000 references
 * however large the set; a full chunk splits in two. Callers keep keys unique.
 */
export class SortedKeyList {
  private chunks: string[][] = [];
  private maxes: string[] = [];

  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.maxes.push(key);
      return;
    }
    const ci = Math.min(lowerBound(this.maxes, key), this.chunks.length - 1);
    const chunk = this.chunks[ci]!;
    chunk.splice(lowerBound(chunk, key), 0, key);
    this.maxes[ci] = chunk[chunk.length - 1]!;
    if (chunk.length > MAX_CHUNK) {
      const upper = chunk.splice(chunk.length >> 1);
      this.chunks.splice(ci + 1, 0, upper);
      this.maxes.splice(ci, 1, chunk[chunk.length - 1]!, upper[upper.length - 1]!);
    }
  }

  remove(key: string): boolean {
    const ci = lowerBound(this.maxes, key);
    const chunk = this.chunks[ci];
    if (chunk === undefined) return false;
    const pos = lowerBound(chunk, key);
    if (chunk[pos] !== key) return false;
    chunk.splice(pos, 1);
    if (chunk.length === 0) {
      this.chunks.splice(ci, 1);
      this.maxes.splice(ci, 1);
    } else this.maxes[ci] = chunk[chunk.length - 1]!;
    return true;
  }

  /**
   * Adds many keys at once: `sorted` in ascending order, none of them in the list yet. One
   * linear merge with the keys already there, then chunks of half the maximum: O(n + k), where
   * k inserts one by one would each search and splice.
   */
  insertSorted(sorted: readonly string[]): void {
    if (sorted.length === 0) return;
    const merged: string[] = [];
    let i = 0;
    for (const chunk of this.chunks) {
      for (const key of chunk) {
        while (i < sorted.length && sorted[i]! < key) merged.push(sorted[i++]!);
        merged.push(key);
      }
    }
    while (i < sorted.length) merged.push(sorted[i++]!);
    const size = MAX_CHUNK >> 1;
    this.chunks = [];
    this.maxes = [];
    for (let at = 0; at < merged.length; at += size) {
      const chunk = merged.slice(at, at + size);
      this.chunks.push(chunk);
      this.maxes.push(chunk[chunk.length - 1]!);
    }
  }

  /** The keys in [from, to] (either bound optional), in order, as a new array. */
  slice(from?: string, to?: string): string[] {
    const out: string[] = [];
    let ci = from === undefined ? 0 : lowerBound(this.maxes, from);
    let pos = from === undefined || ci >= this.chunks.length ? 0 : lowerBound(this.chunks[ci]!, from);
    for (; ci < this.chunks.length; ci++, pos = 0) {
      const chunk = this.chunks[ci]!;
      for (; pos < chunk.length; pos++) {
        const key = chunk[pos]!;
        if (to !== undefined && key > to) return out;
        out.push(key);
      }
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.maxes = [];
  }
}
