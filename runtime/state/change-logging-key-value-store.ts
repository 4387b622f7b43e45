import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import { isKnownWriter, type TimestampedWriter } from './internal/timestamped-writer.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';
import { StateStoreError } from './state-store-error.ts';

/**
 * Sends every write to the changelog through `StateStoreContext.logChange` (key bytes,
 * value bytes or null for a delete, timestamp), after applying it to the inner store.
 * Under a caching layer it sees each key once per cache flush, not once per record.
 * Restoration bypasses it: replayed changelog records are not logged again.
 */
export class ChangeLoggingKeyValueStore implements KeyValueStore<Buffer, Buffer>, BatchRestorable, TimestampedWriter {
  private context: StateStoreContext | undefined;

  constructor(private readonly inner: KeyValueStore<Buffer, Buffer>) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.context = context;
    await this.inner.init(context);
  }

  get(key: Buffer): Buffer | undefined {
    return this.inner.get(key);
  }

  put(key: Buffer, value: Buffer): void {
    this.writeAt(key, value, this.now());
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | undefined {
    const old = this.inner.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  delete(key: Buffer): Buffer | undefined {
    const old = this.inner.get(key);
    this.writeAt(key, null, this.now());
    return old;
  }

  writeAt(key: Buffer, value: Buffer | null, timestamp: number, existed?: boolean): void {
    const context = this.logContext();
    const inner = this.inner;
    if (existed !== undefined && isKnownWriter(inner)) inner.writeKnown(key, value, existed);
    else if (value === null) inner.delete(key);
    else inner.put(key, value);
    context.logChange(this.inner.name, key, value, timestamp);
  }

  range(from?: Buffer, to?: Buffer): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    return this.inner.range(from, to);
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    return this.inner.all();
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    restoreOne(this.inner, key, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.inner).beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.inner).restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.inner).endRestore();
  }

  private now(): number {
    return this.context?.currentTimestamp?.() ?? 0;
  }

  private logContext(): StateStoreContext {
    if (this.context === undefined) {
      throw new StateStoreError('STORE_NOT_OPEN', `store ${this.inner.name} is not initialized`, { context: { store: this.inner.name } });
    }
    return this.context;
  }
}
