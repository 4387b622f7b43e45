import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from '../batch-restore.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from '../state-store.ts';
import type { EncodedStore } from './segmented-store.ts';
import type { TimestampedWriter } from './timestamped-writer.ts';

/**
 * A window or session store seen as a byte key-value store keyed by its changelog key,
 * so the key-value caching layer can sit in front of it. Writes, restoration, flush and
 * close go to the store by changelog key; a subclass decodes the key for point reads
 * (`get`) and for `range`, the one scan the cache needs. `all` is not supported.
 */
export abstract class EncodedStoreView<S extends EncodedStore> implements KeyValueStore<Buffer, Buffer>, TimestampedWriter, BatchRestorable {
  /** `noun`: what the store holds ("window", "session"), for error messages. */
  protected constructor(
    readonly store: S,
    private readonly noun: string,
  ) {}

  abstract get(changelogKey: Buffer): Buffer | undefined;

  abstract range(from?: Buffer, to?: Buffer): AsyncGenerator<KeyValueIteratorEntry<Buffer, Buffer>>;

  get name(): string {
    return this.store.name;
  }

  get persistent(): boolean {
    return this.store.persistent;
  }

  init(context: StateStoreContext): Promise<void> {
    return this.store.init(context);
  }

  put(changelogKey: Buffer, value: Buffer): void {
    this.store.putEncoded(changelogKey, value);
  }

  putIfAbsent(changelogKey: Buffer, value: Buffer): Buffer | undefined {
    const old = this.get(changelogKey);
    if (old === undefined) this.put(changelogKey, value);
    return old;
  }

  delete(changelogKey: Buffer): Buffer | undefined {
    const old = this.get(changelogKey);
    this.store.putEncoded(changelogKey, null);
    return old;
  }

  writeAt(changelogKey: Buffer, value: Buffer | null, timestamp: number): void {
    this.store.putEncoded(changelogKey, value, timestamp);
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    throw new TypeError(`a ${this.noun} key-value view cannot scan all ${this.noun}s`);
  }

  approximateNumEntries(): number {
    return 0;
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  restore(changelogKey: Buffer, value: Buffer | null): void {
    restoreOne(this.store, changelogKey, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.store).beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.store).restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.store).endRestore();
  }
}
