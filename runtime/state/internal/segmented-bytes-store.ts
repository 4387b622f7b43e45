import type { KeyValueIteratorEntry, KeyValueStore } from '../state-store.ts';
import { readTime, segmentPrefix, TIME_BYTES, writeTime } from './window-key-codec.ts';

/** A byte store that can delete a key range natively (LevelKeyValueStore can). */
interface RangeClearable {
  clearRange(from: Buffer, to: Buffer): Promise<void>;
}

/** Reserved key holding the observed stream time; it sorts after every segment. */
const META_KEY = Buffer.concat([Buffer.alloc(TIME_BYTES, 0xff), Buffer.from('observed-stream-time')]);

/**
 * Time segments over one ordered byte store, for window and session stores.
 *
 * Every stored key is `[segment id: 8 bytes][rest]` (see window-key-codec.ts), with
 * segment id = floor(time / segmentInterval). The store tracks the observed stream time
 * (the largest time put or restored) and the retention: a time t is live while
 * t > observed − retention. Writes of expired times are dropped, reads never return
 * them, and `flush` deletes the segments whose whole span has expired (one prefix range
 * delete) and saves the observed time under a reserved key, so a reopened store keeps
 * expiring where it stopped. Scans visit only segments between the live bound and the
 * observed time, so a lookup touches about retention / segmentInterval + 1 segments.
 */
export class SegmentedBytesStore {
  private observed = -1;
  private clearedBelow = 0;

  constructor(
    readonly substrate: KeyValueStore<Buffer, Buffer>,
    readonly retentionMs: number,
    readonly segmentIntervalMs: number,
  ) {}

  /** Reads the saved observed stream time; call after the substrate is initialized. */
  load(): void {
    const saved = this.substrate.get(META_KEY);
    if (saved !== undefined) this.observed = readTime(saved, 0);
  }

  get observedStreamTime(): number {
    return this.observed;
  }

  /** Smallest live time (times below it are expired). */
  get minLiveTime(): number {
    return Math.max(0, this.observed - this.retentionMs + 1);
  }

  isExpired(time: number): boolean {
    return time < this.minLiveTime;
  }

  segmentId(time: number): number {
    return Math.floor(time / this.segmentIntervalMs);
  }

  /** Advances the observed stream time; false (and nothing stored) when `time` is already expired. */
  observe(time: number): boolean {
    if (time > this.observed) this.observed = time;
    return !this.isExpired(time);
  }

  stored(segmentTime: number, rest: Buffer): Buffer {
    return Buffer.concat([segmentPrefix(this.segmentId(segmentTime)), rest]);
  }

  /**
   * Entries whose segment time lies in [timeFrom, timeTo] (clamped to live times), each
   * segment scanned from `[seg][from]` to `[seg][to]`, segments in ascending order.
   * Keys are yielded without their segment prefix.
   */
  async *scan(timeFrom: number, timeTo: number, from?: Buffer, to?: Buffer): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>> {
    const first = this.segmentId(Math.max(timeFrom, this.minLiveTime));
    const last = this.segmentId(Math.min(timeTo, Math.max(this.observed, 0)));
    for (let seg = first; seg <= last; seg++) {
      const prefix = segmentPrefix(seg);
      const lower = from === undefined ? prefix : Buffer.concat([prefix, from]);
      const upper = to === undefined ? segmentPrefix(seg + 1) : Buffer.concat([prefix, to]);
      for await (const entry of this.substrate.range(lower, upper)) {
        if (to === undefined && entry.key.length === TIME_BYTES) continue; // the next segment's bare prefix
        yield { key: entry.key.subarray(TIME_BYTES), value: entry.value };
      }
    }
  }

  /** Deletes fully expired segments and saves the observed time. Call after the substrate's writes. */
  async expireAndSave(): Promise<void> {
    if (this.observed < 0) return;
    const firstLive = this.segmentId(this.minLiveTime);
    if (firstLive > this.clearedBelow) {
      const from = segmentPrefix(this.clearedBelow);
      const to = segmentPrefix(firstLive);
      const clearable = this.substrate as Partial<RangeClearable>;
      if (typeof clearable.clearRange === 'function') await clearable.clearRange(from, to);
      else {
        const doomed: Buffer[] = [];
        for await (const { key } of this.substrate.range(from, to)) doomed.push(key);
        for (const key of doomed) if (key.compare(to) < 0) this.substrate.delete(key);
      }
      this.clearedBelow = firstLive;
    }
    const meta = Buffer.allocUnsafe(TIME_BYTES);
    writeTime(meta, 0, this.observed);
    this.substrate.put(META_KEY, meta);
  }
}
