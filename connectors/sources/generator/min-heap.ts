/** An entry of a MinHeap: ordered by `time`, then by `seq` (insertion order) for equal times. */
export interface HeapEntry {
  time: number;
  seq: number;
}

/**
 * A binary min-heap of entries whose key may change while on top: `updateTop()` restores
 * the order after the top entry's `time` grew, which is how a merge of sorted runs advances
 * one run without a pop and a push. Sifting moves a hole instead of swapping.
 */
export class MinHeap<E extends HeapEntry> {
  private readonly items: E[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): E | undefined {
    return this.items[0];
  }

  push(entry: E): void {
    const items = this.items;
    let i = items.length;
    items.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): E | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(last);
    return top;
  }

  /** Call after increasing the top entry's time. */
  updateTop(): void {
    if (this.items.length > 0) this.siftDown(this.items[0]!);
  }

  private siftDown(entry: E): void {
    const items = this.items;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!before(child, entry)) break;
      items[i] = child;
      i = c;
    }
    items[i] = entry;
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
