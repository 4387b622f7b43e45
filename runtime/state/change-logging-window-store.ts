import type { BatchRestorable, RestoreRecord } from './batch-restore.ts';
import { decodeWindowKey } from './internal/window-key-codec.ts';
import type { SegmentedWindowStore } from './segmented-window-store.ts';
import { StateStoreError } from './state-store-error.ts';
import type { StateStoreContext } from './state-store.ts';
import type { WindowEntry, WindowStore, WindowValue } from './window-store.ts';

/**
 * Logs every window write to the changelog with key `[key][window start]` (plus the
 * sequence number for duplicate-retaining stores), the same bytes `restore` takes back.
 * Timestamp: the event time of the record being processed. Restoration is not logged.
 */
export class ChangeLoggingWindowStore implements WindowStore<Buffer, Buffer>, BatchRestorable {
  private context: StateStoreContext | undefined;

  constructor(private readonly inner: SegmentedWindowStore) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get windowSize(): number {
    return this.inner.windowSize;
  }
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.context = context;
    await this.inner.init(context);
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (this.inner.retainDuplicates && value === null) return;
    this.putEncoded(this.inner.changelogKey(key, windowStart), value);
  }

  /** Writes and logs a window given by its changelog key; `timestamp` defaults to the current event time. */
  putEncoded(changelogKey: Buffer, value: Buffer | null, timestamp?: number): void {
    const context = this.context;
    if (context === undefined) {
      throw new StateStoreError('STORE_NOT_OPEN', `store ${this.name} is not initialized`, { context: { store: this.name } });
    }
    this.inner.putEncoded(changelogKey, value);
    // Without an event time, the window start: windowed changelogs are also time-retained.
    const time = timestamp ?? context.currentTimestamp?.() ?? decodeWindowKey(changelogKey, this.inner.retainDuplicates).windowStart;
    context.logChange(this.name, changelogKey, value, time);
  }

  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates;
  }

  get observedStreamTime(): number {
    return this.inner.observedStreamTime;
  }

  isExpired(windowStart: number): boolean {
    return this.inner.isExpired(windowStart);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): AsyncIterable<WindowValue<Buffer>> {
    return this.inner.fetchRange(key, timeFrom, timeTo);
  }

  fetchKeyRange(keyFrom: Buffer | undefined, keyTo: Buffer | undefined, timeFrom: number, timeTo: number): AsyncIterable<WindowEntry<Buffer, Buffer>> {
    return this.inner.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo);
  }

  all(): AsyncIterable<WindowEntry<Buffer, Buffer>> {
    return this.inner.all();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    this.inner.restore(key, value);
  }

  beginRestore(): void {
    this.inner.beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return this.inner.restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return this.inner.endRestore();
  }
}
