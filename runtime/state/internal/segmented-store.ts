import { asBatchRestorable, type BatchRestorable, type RestoreRecord } from '../batch-restore.ts';
import type { KeyValueStore, StateStore, StateStoreContext } from '../state-store.ts';
import { defaultSegmentInterval } from '../window-store.ts';
import { SegmentedBytesStore } from './segmented-bytes-store.ts';

/**
 * A window or session store below its cache: it takes writes by changelog key (the key
 * codec's bytes), and `segmentTime` reads the time a changelog key is segmented and
 * expired by (window start, session end).
 */
export interface EncodedStore extends StateStore {
  readonly retentionMs: number;
  readonly observedStreamTime: number;
  putEncoded(changelogKey: Buffer, value: Buffer | null, timestamp?: number): void;
  segmentTime(changelogKey: Buffer): number;
  isExpired(time: number): boolean;
}

/**
 * What the segmented window and session stores share: changelog keys stored under their
 * time segment (SegmentedBytesStore), writes and restoration by changelog key, expiry
 * at flush. A subclass names its key codec through `segmentTime` and adds the reads.
 */
export abstract class SegmentedStore implements EncodedStore, BatchRestorable {
  readonly retentionMs: number;
  droppedExpired = 0;
  protected readonly segments: SegmentedBytesStore;

  protected constructor(
    protected readonly substrate: KeyValueStore<Buffer, Buffer>,
    options: { retentionMs: number; segmentIntervalMs?: number },
  ) {
    this.retentionMs = options.retentionMs;
    this.segments = new SegmentedBytesStore(substrate, options.retentionMs, options.segmentIntervalMs ?? defaultSegmentInterval(options.retentionMs));
  }

  abstract segmentTime(changelogKey: Buffer): number;

  get name(): string {
    return this.substrate.name;
  }

  get persistent(): boolean {
    return this.substrate.persistent;
  }

  get observedStreamTime(): number {
    return this.segments.observedStreamTime;
  }

  async init(context: StateStoreContext): Promise<void> {
    await this.substrate.init(context);
    this.segments.load();
  }

  /** Applies a write given by its changelog key: the path of puts and of restoration. */
  putEncoded(changelogKey: Buffer, value: Buffer | null): void {
    const time = this.segmentTime(changelogKey);
    if (!this.segments.observe(time)) {
      this.droppedExpired++;
      return;
    }
    const stored = this.segments.stored(time, changelogKey);
    if (value === null) this.substrate.delete(stored);
    else this.substrate.put(stored, value);
  }

  isExpired(time: number): boolean {
    return this.segments.isExpired(time);
  }

  async flush(): Promise<void> {
    await this.segments.expireAndSave();
    await this.substrate.flush();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.substrate.close();
    }
  }

  restore(key: Buffer, value: Buffer | null): void {
    this.putEncoded(key, value);
  }

  beginRestore(): void {
    asBatchRestorable(this.substrate).beginRestore();
  }

  async restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    const stored: RestoreRecord[] = [];
    for (const r of records) {
      const time = this.segmentTime(r.key);
      if (this.segments.observe(time)) stored.push({ key: this.segments.stored(time, r.key), value: r.value });
    }
    await asBatchRestorable(this.substrate).restoreBatch(stored);
  }

  async endRestore(): Promise<void> {
    await asBatchRestorable(this.substrate).endRestore();
    await this.flush();
  }
}
