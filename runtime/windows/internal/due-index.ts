/**
 * Keys waiting for a time to pass, ordered by that time: the windows a windowed
 * operator still has to emit (on time or on close), the sessions still open, the join
 * records still unmatched. It is derived state: operators rebuild it from their stores
 * when a task starts, so it needs no changelog of its own.
 *
 * Times are kept in a sorted array (inserts near the end are cheap, as event time
 * mostly grows); `popDue(bound)` removes and returns every entry with time <= bound,
 * earliest first.
 */
export class DueIndex<K> {
  private readonly times: number[] = [];
  private readonly byTime = new Map<number, Map<string, K>>();

  add(time: number, key: K): void {
    let keys = this.byTime.get(time);
    if (keys === undefined) {
      keys = new Map();
      this.byTime.set(time, keys);
      const t = this.times;
      let i = t.length;
      while (i > 0 && t[i - 1]! > time) i--;
      t.splice(i, 0, time);
    }
    keys.set(keyId(key), key);
  }

  remove(time: number, key: K): void {
    const keys = this.byTime.get(time);
    if (keys === undefined) return;
    keys.delete(keyId(key));
    if (keys.size === 0) {
      this.byTime.delete(time);
      this.times.splice(this.times.indexOf(time), 1);
    }
  }

  has(time: number, key: K): boolean {
    return this.byTime.get(time)?.has(keyId(key)) ?? false;
  }

  get size(): number {
    return this.times.length;
  }

  popDue(bound: number): { time: number; key: K }[] {
    const out: { time: number; key: K }[] = [];
    while (this.times.length > 0 && this.times[0]! <= bound) {
      const time = this.times.shift()!;
      for (const key of this.byTime.get(time)!.values()) out.push({ time, key });
      this.byTime.delete(time);
    }
    return out;
  }
}

/** Identity of a key in the index: strings as they are, anything else as JSON. */
export function keyId(key: unknown): string {
  return typeof key === 'string' ? `s${key}` : `j${JSON.stringify(key)}`;
}
