import { MinHeap, type HeapEntry } from './min-heap.ts';

const WIDTH = 1000;
const BUCKETS = 4096;

/**
 * A priority queue for entries whose times move forward together (a simulation's
 * timeline): entries due in the current second sit in a small heap, the next ~68 minutes
 * in one unsorted bucket per second, anything later in an overflow heap. A bucket is
 * sorted once when its second comes. Same order as a MinHeap — (time, seq) — at a fraction
 * of the cost when hundreds of thousands of entries wait.
 */
export class CalendarQueue<E extends HeapEntry> {
  private readonly active = new MinHeap<E>();
  private readonly ring: E[][] = Array.from({ length: BUCKETS }, () => []);
  private readonly overflow = new MinHeap<E>();
  private current = -Infinity;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(entry: E): void {
    this.count++;
    this.place(entry);
  }

  /** The first entry, advancing the current second as needed; undefined when empty. */
  peek(): E | undefined {
    if (this.count === 0) return undefined;
    while (this.active.size === 0) this.advance();
    return this.active.peek();
  }

  pop(): E | undefined {
    const top = this.peek();
    if (top !== undefined) {
      this.active.pop();
      this.count--;
    }
    return top;
  }

  /** Call after increasing the time of the entry peek() returned. */
  updateTop(): void {
    const top = this.active.peek();
    if (!top) return;
    if (Math.floor(top.time / WIDTH) <= this.current) {
      this.active.updateTop();
    } else {
      this.active.pop();
      this.place(top);
    }
  }

  private place(entry: E): void {
    const bucket = Math.floor(entry.time / WIDTH);
    if (bucket <= this.current) this.active.push(entry);
    else if (bucket < this.current + BUCKETS) this.ring[bucket % BUCKETS]!.push(entry);
    else this.overflow.push(entry);
  }

  private advance(): void {
    // Before the first advance every entry is in the overflow heap: start at its first second.
    if (this.current === -Infinity) this.current = Math.floor(this.overflow.peek()!.time / WIDTH) - 1;
    this.current++;
    const slot = this.ring[this.current % BUCKETS]!;
    if (slot.length > 0) {
      slot.sort((a, b) => a.time - b.time || a.seq - b.seq);
      for (const e of slot) this.active.push(e);
      slot.length = 0;
    }
    for (let o = this.overflow.peek(); o && Math.floor(o.time / WIDTH) <= this.current; o = this.overflow.peek()) {
      this.active.push(this.overflow.pop()!);
    }
  }
}
