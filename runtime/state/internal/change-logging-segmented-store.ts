import type { BatchRestorable, RestoreRecord } from '../batch-restore.ts';
import { StateStoreError } from '../state-store-error.ts';
import type { StateStoreContext } from '../state-store.ts';
import type { EncodedStore, SegmentedStore } from './segmented-store.ts';

/**
 * What the change-logging window and session stores share: every write by changelog key
 * goes to the segmented store below and to `StateStoreContext.logChange` with the same
 * key bytes, which `restore` takes back. Timestamp: the given one, else the event time of
 * the record being processed, else the key's segment time (window start, session end),
 * as windowed changelogs are also time-retained. Restoration is not logged.
 */
export abstract class ChangeLoggingSegmentedStore<S extends SegmentedStore> implements EncodedStore, BatchRestorable {
  private context: StateStoreContext | undefined;

  constructor(protected readonly inner: S) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get retentionMs(): number {
    return this.inner.retentionMs;
  }
  get observedStreamTime(): number {
    return this.inner.observedStreamTime;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.context = context;
    await this.inner.init(context);
  }

  /** Writes and logs an entry given by its changelog key; `timestamp` defaults to the current event time. */
  putEncoded(changelogKey: Buffer, value: Buffer | null, timestamp?: number): void {
    const context = this.context;
    if (context === undefined) {
      throw new StateStoreError('STORE_NOT_OPEN', `store ${this.name} is not initialized`, { context: { store: this.name } });
    }
    this.inner.putEncoded(changelogKey, value);
    const time = timestamp ?? context.currentTimestamp?.() ?? this.inner.segmentTime(changelogKey);
    context.logChange(this.name, changelogKey, value, time);
  }

  segmentTime(changelogKey: Buffer): number {
    return this.inner.segmentTime(changelogKey);
  }

  isExpired(time: number): boolean {
    return this.inner.isExpired(time);
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
