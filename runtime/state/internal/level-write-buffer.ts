import type { ClassicLevel } from 'classic-level';
import { toKeyString } from './bytes.ts';
import type { OverlayValue } from './overlay.ts';

/** Bytes charged per buffered entry on top of its key and value (map and object overhead). */
const ENTRY_OVERHEAD = 64;

/**
 * The writes a LevelDB store has accepted but LevelDB has not yet made durable.
 *
 * classic-level has no synchronous write, while the store contract's `put` is
 * synchronous. So writes land in `pending` (a map by key string, so repeated writes to
 * a key keep only the last one). When `pending` passes `limitBytes`, or at `drain()`,
 * it becomes one `db.batch` and moves to `writing` until LevelDB confirms. Batches are
 * chained, so LevelDB applies them in the order they were cut. Reads consult `pending`,
 * then `writing` newest first, then LevelDB (`getSync`). A failed batch is remembered
 * and rethrown by the next `drain()`.
 */
export class LevelWriteBuffer {
  private pending = new Map<string, OverlayValue>();
  private pendingBytes = 0;
  /** Batches handed to LevelDB and not yet confirmed, newest first. */
  private writing: Map<string, OverlayValue>[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;

  constructor(
    private readonly db: ClassicLevel<Buffer, Buffer>,
    private readonly limitBytes: number,
  ) {}

  /** True when nothing is buffered: reads may go straight to LevelDB. */
  get isEmpty(): boolean {
    return this.pending.size === 0 && this.writing.length === 0;
  }

  /** The buffered value: bytes, null for a buffered delete, undefined when not buffered. */
  lookup(keyString: string): OverlayValue | undefined {
    const value = this.pending.get(keyString);
    if (value !== undefined || this.pending.has(keyString)) return value;
    for (const batch of this.writing) {
      const v = batch.get(keyString);
      if (v !== undefined || batch.has(keyString)) return v;
    }
    return undefined;
  }

  set(key: Buffer, value: OverlayValue, keyString = toKeyString(key)): void {
    this.pending.set(keyString, value);
    this.pendingBytes += key.length + (value === null ? 0 : value.length) + ENTRY_OVERHEAD;
    if (this.pendingBytes >= this.limitBytes) this.cut();
  }

  /** The layers an ordered scan must merge over LevelDB, newest first. */
  layers(): ReadonlyArray<ReadonlyMap<string, OverlayValue>> {
    return [this.pending, ...this.writing];
  }

  /** Number of batches handed to LevelDB and not yet confirmed. */
  get batchesInFlight(): number {
    return this.writing.length;
  }

  /** Hands the pending writes to LevelDB as one batch, without waiting. */
  cut(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.pendingBytes = 0;
    this.writing.unshift(batch);
    const ops = [...batch].map(([k, v]) =>
      v === null ? { type: 'del' as const, key: Buffer.from(k, 'latin1') } : { type: 'put' as const, key: Buffer.from(k, 'latin1'), value: v },
    );
    this.chain = this.chain
      .then(() => (this.failure === undefined ? this.db.batch(ops) : undefined))
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.writing.splice(this.writing.indexOf(batch), 1);
      });
  }

  /** Writes everything buffered and resolves when LevelDB has it; rethrows a failed write. */
  async drain(): Promise<void> {
    this.cut();
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }
}
