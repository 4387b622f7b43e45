import type { StateStore } from './state-store.ts';

/** One changelog record to apply during restoration (value null = delete). */
export interface RestoreRecord {
  key: Buffer;
  value: Buffer | null;
}

/**
 * Optional batch restoration, offered by every store of this folder on top of the
 * per-record `StateStore.restore`. The restorer calls, per store:
 *
 *   beginRestore()                       once, before the first changelog record
 *   await restoreBatch(records)          for each polled batch, in changelog order
 *   await endRestore()                   once, after the last one (all writes durable)
 *
 * Records go straight to the innermost store: no cache, no change logging, no metrics
 * per record. `restoreBatch` resolves when the batch is applied (it may wait for the
 * previous batch's LevelDB write, so memory stays bounded). After `endRestore` the
 * caller may write the changelog end offset into the task checkpoint.
 */
export interface BatchRestorable {
  beginRestore(): void;
  restoreBatch(records: readonly RestoreRecord[]): Promise<void>;
  endRestore(): Promise<void>;
}

export function isBatchRestorable(store: StateStore): store is StateStore & BatchRestorable {
  const s = store as Partial<BatchRestorable>;
  return typeof s.beginRestore === 'function' && typeof s.restoreBatch === 'function' && typeof s.endRestore === 'function';
}

/** Restores `batches` into any store (see `asBatchRestorable`); returns the record count. */
export async function restoreAll(
  store: StateStore,
  batches: AsyncIterable<readonly RestoreRecord[]> | Iterable<readonly RestoreRecord[]>,
): Promise<number> {
  const target = asBatchRestorable(store);
  let count = 0;
  target.beginRestore();
  for await (const batch of batches) {
    await target.restoreBatch(batch);
    count += batch.length;
  }
  await target.endRestore();
  return count;
}

/**
 * The batch API for any store: the store itself when it has one, else an adapter that
 * calls `restore` per record and `flush` at the end. Decorators use it to pass batch
 * restoration down to whatever inner store they wrap.
 */
export function asBatchRestorable(store: StateStore): BatchRestorable {
  if (isBatchRestorable(store)) return store;
  return {
    beginRestore: () => {
      if (store.restore === undefined) throw new TypeError(`store ${store.name} cannot be restored: it has no restore()`);
    },
    restoreBatch: async (records) => {
      for (const r of records) store.restore!(r.key, r.value);
    },
    endRestore: () => store.flush(),
  };
}

/** Applies one changelog record to `store`; throws when it cannot be restored. */
export function restoreOne(store: StateStore, key: Buffer, value: Buffer | null): void {
  if (store.restore === undefined) throw new TypeError(`store ${store.name} cannot be restored: it has no restore()`);
  store.restore(key, value);
}
