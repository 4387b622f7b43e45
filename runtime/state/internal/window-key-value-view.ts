import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from '../batch-restore.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from '../state-store.ts';
import type { WindowStore } from '../window-store.ts';
import type { TimestampedWriter } from './timestamped-writer.ts';
import { decodeWindowKey, windowKey } from './window-key-codec.ts';

/** A window store that takes writes by changelog key (SegmentedWindowStore, ChangeLoggingWindowStore). */
export interface EncodedWindowStore extends WindowStore<Buffer, Buffer> {
  readonly retainDuplicates: boolean;
  readonly observedStreamTime: number;
  putEncoded(changelogKey: Buffer, value: Buffer | null, timestamp?: number): void;
  isExpired(windowStart: number): boolean;
}

/**
 * A window store seen as a byte key-value store keyed by `[key][window start]`, so the
 * key-value caching layer can sit in front of it. Only what the cache uses is supported:
 * point reads and writes, and `range` between two windows of ONE key (the store's
 * `fetchRange`, which is in the same byte order); `all` is not.
 */
export class WindowKeyValueView implements KeyValueStore<Buffer, Buffer>, TimestampedWriter, BatchRestorable {
  constructor(readonly window: EncodedWindowStore) {}

  get name(): string {
    return this.window.name;
  }

  get persistent(): boolean {
    return this.window.persistent;
  }

  init(context: StateStoreContext): Promise<void> {
    return this.window.init(context);
  }

  get(changelogKey: Buffer): Buffer | undefined {
    const { key, windowStart } = decodeWindowKey(changelogKey, false);
    return this.window.fetch(key, windowStart);
  }

  put(changelogKey: Buffer, value: Buffer): void {
    this.window.putEncoded(changelogKey, value);
  }

  putIfAbsent(changelogKey: Buffer, value: Buffer): Buffer | undefined {
    const old = this.get(changelogKey);
    if (old === undefined) this.put(changelogKey, value);
    return old;
  }

  delete(changelogKey: Buffer): Buffer | undefined {
    const old = this.get(changelogKey);
    this.window.putEncoded(changelogKey, null);
    return old;
  }

  writeAt(changelogKey: Buffer, value: Buffer | null, timestamp: number): void {
    this.window.putEncoded(changelogKey, value, timestamp);
  }

  async *range(from?: Buffer, to?: Buffer): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>> {
    if (from === undefined || to === undefined) throw new TypeError('a window key-value view scans between two windows of one key');
    const lower = decodeWindowKey(from, false);
    const upper = decodeWindowKey(to, false);
    for await (const w of this.window.fetchRange(lower.key, lower.windowStart, upper.windowStart)) {
      yield { key: windowKey(lower.key, w.windowStart), value: w.value };
    }
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    throw new TypeError('a window key-value view cannot scan all windows');
  }

  approximateNumEntries(): number {
    return 0;
  }

  flush(): Promise<void> {
    return this.window.flush();
  }

  close(): Promise<void> {
    return this.window.close();
  }

  restore(changelogKey: Buffer, value: Buffer | null): void {
    restoreOne(this.window, changelogKey, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.window).beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.window).restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.window).endRestore();
  }
}
