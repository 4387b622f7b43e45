import type { Serde } from '../../serde/serde.ts';
import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from '../batch-restore.ts';
import { StateStoreError } from '../state-store-error.ts';
import type { StateStore, StateStoreContext } from '../state-store.ts';
import { CachingSegmentedStore } from './caching-segmented-store.ts';

/**
 * What the typed window and session stores share: keys and values through serdes,
 * called with the changelog topic (so keys order by their serialized bytes), and
 * everything else passed down to the byte store. A subclass adds the typed reads and
 * writes of its interface.
 */
export abstract class TypedSegmentedStore<K, V, B extends StateStore & { readonly retentionMs: number }> implements BatchRestorable {
  protected topic: string;

  constructor(
    readonly bytes: B,
    protected readonly keySerde: Serde<K>,
    protected readonly valueSerde: Serde<V>,
  ) {
    this.topic = `${bytes.name}-changelog`;
  }

  get name(): string {
    return this.bytes.name;
  }
  get persistent(): boolean {
    return this.bytes.persistent;
  }
  get retentionMs(): number {
    return this.bytes.retentionMs;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.topic = `${context.applicationId}-${this.bytes.name}-changelog`;
    await this.keySerde.prepare?.(this.topic);
    await this.valueSerde.prepare?.(this.topic);
    await this.bytes.init(context);
  }

  /** Writes the cache below down now, if there is one. */
  writeDown(): void {
    if (this.bytes instanceof CachingSegmentedStore) this.bytes.writeDown();
  }

  flush(): Promise<void> {
    return this.bytes.flush();
  }

  close(): Promise<void> {
    return this.bytes.close();
  }

  restore(key: Buffer, value: Buffer | null): void {
    restoreOne(this.bytes, key, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.bytes).beginRestore();
  }

  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.bytes).restoreBatch(records);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.bytes).endRestore();
  }

  protected key(key: K): Buffer {
    const bytes = this.keySerde.serialize(this.topic, key);
    if (bytes === null) throw new StateStoreError('STORE_SERDE', `store ${this.name}: key serialized to null`, { context: { store: this.name } });
    return bytes;
  }

  protected serializeValue(value: V | null): Buffer | null {
    return value === null ? null : this.valueSerde.serialize(this.topic, value);
  }

  protected deserializeKey(bytes: Buffer): K {
    return this.keySerde.deserialize(this.topic, bytes);
  }

  protected deserializeValue(bytes: Buffer): V {
    return this.valueSerde.deserialize(this.topic, bytes);
  }

  /** As `deserializeValue`, with null (a delete, or no value before) kept. */
  protected nullableValue(bytes: Buffer | null): V | null {
    return bytes === null ? null : this.deserializeValue(bytes);
  }
}
