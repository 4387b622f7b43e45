import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { SegmentedStore } from './internal/segmented-store.ts';
import { decodeWindowKey, SEQ_BYTES, TIME_BYTES, windowKey } from './internal/window-key-codec.ts';
import { LevelKeyValueStore } from './level-key-value-store.ts';
import type { KeyValueStore } from './state-store.ts';
import type { WindowEntry, WindowStore, WindowStoreOptions, WindowValue } from './window-store.ts';

/**
 * The byte-level window store: windows of byte keys in time segments over an ordered
 * byte store (LevelDB for `persistentWindowStore`, memory for `inMemoryWindowStore`);
 * key layout in internal/window-key-codec.ts, segments and retention in
 * internal/segmented-bytes-store.ts, writes and restoration in internal/segmented-store.ts.
 * The changelog key of a window is `[key][start]` (plus a sequence number when
 * duplicates are retained); `restore` takes exactly that. With `retainDuplicates`, null puts are ignored, `fetch` finds nothing
 * (use `fetchRange`), and sequence numbers restart at 0 when the store is reopened.
 * Puts of expired windows are dropped and counted in `droppedExpired`.
 */
export class SegmentedWindowStore extends SegmentedStore implements WindowStore<Buffer, Buffer> {
  readonly windowSize: number;
  readonly retainDuplicates: boolean;
  private seq = 0;

  constructor(substrate: KeyValueStore<Buffer, Buffer>, options: WindowStoreOptions) {
    super(substrate, options);
    this.windowSize = options.windowSize;
    this.retainDuplicates = options.retainDuplicates ?? false;
  }

  /** The window start of a changelog key. */
  segmentTime(changelogKey: Buffer): number {
    return decodeWindowKey(changelogKey, this.retainDuplicates).windowStart;
  }

  /** The changelog key the next put of (key, start) will use. */
  changelogKey(key: Buffer, windowStart: number): Buffer {
    return windowKey(key, windowStart, this.retainDuplicates ? this.seq++ : undefined);
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (this.retainDuplicates && value === null) return;
    this.putEncoded(this.changelogKey(key, windowStart), value);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    if (this.retainDuplicates || this.segments.isExpired(windowStart)) return undefined;
    return this.substrate.get(this.segments.stored(windowStart, windowKey(key, windowStart)));
  }

  async *fetchRange(key: Buffer, timeFrom: number, timeTo: number): AsyncGenerator<WindowValue<Buffer>> {
    const lower = windowKey(key, Math.max(0, timeFrom), this.retainDuplicates ? 0 : undefined);
    const upper = windowKey(key, Math.min(timeTo, Number.MAX_SAFE_INTEGER), this.retainDuplicates ? 0xffff_ffff : undefined);
    for await (const entry of this.segments.scan(timeFrom, timeTo, lower, upper)) {
      const decoded = decodeWindowKey(entry.key, this.retainDuplicates);
      if (decoded.key.length !== key.length || this.segments.isExpired(decoded.windowStart)) continue;
      yield { windowStart: decoded.windowStart, value: entry.value };
    }
  }

  async *fetchKeyRange(keyFrom: Buffer | undefined, keyTo: Buffer | undefined, timeFrom: number, timeTo: number): AsyncGenerator<WindowEntry<Buffer, Buffer>> {
    const suffix = TIME_BYTES + (this.retainDuplicates ? SEQ_BYTES : 0);
    const upper = keyTo === undefined ? undefined : Buffer.concat([keyTo, Buffer.alloc(suffix, 0xff)]);
    for await (const entry of this.segments.scan(timeFrom, timeTo, keyFrom, upper)) {
      const { key, windowStart } = decodeWindowKey(entry.key, this.retainDuplicates);
      if (windowStart < timeFrom || windowStart > timeTo || this.segments.isExpired(windowStart)) continue;
      if ((keyFrom !== undefined && key.compare(keyFrom) < 0) || (keyTo !== undefined && key.compare(keyTo) > 0)) continue;
      yield { key: Buffer.from(key), windowStart, windowEnd: windowStart + this.windowSize, value: entry.value };
    }
  }

  all(): AsyncIterable<WindowEntry<Buffer, Buffer>> {
    return this.fetchKeyRange(undefined, undefined, 0, Number.MAX_SAFE_INTEGER);
  }
}

/** A window store on LevelDB under `<state dir>/<name>`. */
export function persistentWindowStore(name: string, options: WindowStoreOptions): SegmentedWindowStore {
  return new SegmentedWindowStore(new LevelKeyValueStore(name, { trackCount: false }), options);
}

/** A window store in memory (restored from its changelog when a task starts). */
export function inMemoryWindowStore(name: string, options: WindowStoreOptions): SegmentedWindowStore {
  return new SegmentedWindowStore(new InMemoryKeyValueStore(name), options);
}
