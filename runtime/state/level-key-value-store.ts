import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { BatchRestorable, RestoreRecord } from './batch-restore.ts';
import { isEmptyRange, toKeyString, toRange } from './internal/bytes.ts';
import { countLevelKeys, scanLevel } from './internal/level-scan.ts';
import { LevelWriteBuffer } from './internal/level-write-buffer.ts';
import { mergeWithOverlay, snapshotOverlay } from './internal/overlay.ts';
import type { KnownWriter } from './internal/timestamped-writer.ts';
import { StateStoreError } from './state-store-error.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';

export interface LevelKeyValueStoreOptions {
  /** Buffered write bytes after which a LevelDB batch starts in the background. Default 4 MiB. */
  writeBufferBytes?: number;
  /** Where the database lives. Default `<context.stateDir>/<name>`. */
  location?: string;
  /**
   * Keep `approximateNumEntries` exact (one extra lookup per blind write). Default true;
   * stores built on this one that never ask for the count (window, session) turn it off,
   * and the count then stays at its value from open.
   */
  trackCount?: boolean;
}

export const LEVEL_STORE_DEFAULTS = { writeBufferBytes: 4 * 1024 * 1024, trackCount: true } as const;

/**
 * The persistent byte store, on LevelDB (classic-level). Keys are ordered by unsigned
 * byte order, so a typed store above it orders by serialized key bytes. Reads are
 * synchronous (`getSync`); writes are buffered (see LevelWriteBuffer) and written as
 * batches, at the latest on `flush`. Buffers passed to `put` must not be mutated later.
 * `approximateNumEntries` is exact: counted at open and kept up to date on writes.
 */
export class LevelKeyValueStore implements KeyValueStore<Buffer, Buffer>, BatchRestorable, KnownWriter {
  readonly persistent = true;
  private db: ClassicLevel<Buffer, Buffer> | undefined;
  private buffer: LevelWriteBuffer | undefined;
  private count = 0;
  private restoring = false;
  /** The last key read or written and its value: a read-modify-write then needs one lookup, not two. */
  private lastKey: Buffer | undefined;
  private lastValue: Buffer | undefined;
  private readonly options: Required<Omit<LevelKeyValueStoreOptions, 'location'>> & { location?: string };

  constructor(
    readonly name: string,
    options: LevelKeyValueStoreOptions = {},
  ) {
    this.options = { ...LEVEL_STORE_DEFAULTS, ...options };
  }

  async init(context: StateStoreContext): Promise<void> {
    const location = this.options.location ?? join(context.stateDir, this.name);
    const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    try {
      await mkdir(location, { recursive: true });
      await db.open();
    } catch (cause) {
      throw new StateStoreError('STORE_IO', `cannot open store ${this.name} at ${location}`, {
        cause,
        retriable: true,
        context: { store: this.name, taskId: context.taskId },
      });
    }
    this.db = db;
    this.lastKey = undefined;
    this.buffer = new LevelWriteBuffer(db, this.options.writeBufferBytes);
    this.count = await countLevelKeys(db);
  }

  get(key: Buffer): Buffer | undefined {
    const { db, buffer } = this.open();
    let value: Buffer | undefined;
    if (buffer.isEmpty) value = db.getSync(key);
    else {
      const buffered = buffer.lookup(toKeyString(key));
      value = buffered !== undefined ? (buffered ?? undefined) : db.getSync(key);
    }
    this.remember(key, value);
    return value;
  }

  put(key: Buffer, value: Buffer): void {
    const keyString = toKeyString(key);
    if (this.options.trackCount && this.find(keyString, key) === undefined) this.count++;
    this.open().buffer.set(key, value, keyString);
    this.remember(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  delete(key: Buffer): Buffer | undefined {
    const keyString = toKeyString(key);
    const old = this.find(keyString, key);
    if (old !== undefined && this.options.trackCount) this.count--;
    this.open().buffer.set(key, null, keyString);
    this.remember(key, undefined);
    return old;
  }

  /** A write whose key's existence the caller knows (the cache does): no lookup to keep the count. */
  writeKnown(key: Buffer, value: Buffer | null, existed: boolean): void {
    this.count += (value === null ? 0 : 1) - (existed ? 1 : 0);
    this.open().buffer.set(key, value);
    this.remember(key, value ?? undefined);
  }

  range(from?: Buffer, to?: Buffer): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    const { db, buffer } = this.open();
    const bounds = toRange(from, to);
    if (isEmptyRange(bounds)) return (async function* () {})();
    const overlay = snapshotOverlay(buffer.layers(), bounds);
    return mergeWithOverlay(overlay, scanLevel(db, from, to));
  }

  all(): AsyncIterable<KeyValueIteratorEntry<Buffer, Buffer>> {
    return this.range();
  }

  approximateNumEntries(): number {
    return this.count;
  }

  /**
   * Deletes every key in [from, to) in LevelDB (after writing what is buffered), without
   * reading them into JS. The count is recomputed when it is tracked.
   */
  async clearRange(from: Buffer, to: Buffer): Promise<void> {
    await this.flush();
    const { db } = this.open();
    this.lastKey = undefined;
    await db.clear({ gte: from, lt: to });
    if (this.options.trackCount) this.count = await countLevelKeys(db);
  }

  async flush(): Promise<void> {
    if (this.buffer === undefined) return;
    try {
      await this.buffer.drain();
    } catch (cause) {
      throw new StateStoreError('STORE_IO', `cannot write store ${this.name}`, { cause, retriable: true, context: { store: this.name } });
    }
  }

  async close(): Promise<void> {
    if (this.db === undefined) return;
    try {
      await this.flush();
    } finally {
      await this.db.close();
      this.db = undefined;
      this.buffer = undefined;
    }
  }

  restore(key: Buffer, value: Buffer | null): void {
    this.lastKey = undefined;
    if (this.restoring) this.open().buffer.set(key, value);
    else if (value === null) this.delete(key);
    else this.put(key, value);
  }

  beginRestore(): void {
    this.open();
    this.lastKey = undefined;
    this.restoring = true;
  }

  async restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    const { buffer } = this.open();
    this.lastKey = undefined;
    for (const r of records) buffer.set(r.key, r.value);
    // Back-pressure: never more than two batches waiting for LevelDB.
    if (buffer.batchesInFlight >= 2) await this.flush();
  }

  async endRestore(): Promise<void> {
    await this.flush();
    this.restoring = false;
    if (this.options.trackCount) this.count = await countLevelKeys(this.open().db);
  }

  private remember(key: Buffer, value: Buffer | undefined): void {
    this.lastKey = key;
    this.lastValue = value;
  }

  private find(keyString: string, key: Buffer): Buffer | undefined {
    if (this.lastKey !== undefined && this.lastKey.equals(key)) return this.lastValue;
    const { db, buffer } = this.open();
    const buffered = buffer.lookup(keyString);
    if (buffered !== undefined) return buffered ?? undefined;
    return db.getSync(key);
  }

  private open(): { db: ClassicLevel<Buffer, Buffer>; buffer: LevelWriteBuffer } {
    if (this.db === undefined || this.buffer === undefined) {
      throw new StateStoreError('STORE_NOT_OPEN', `store ${this.name} is not open`, { context: { store: this.name } });
    }
    return { db: this.db, buffer: this.buffer };
  }
}
