import type { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { LevelWriteBuffer } from '../../../../runtime/state/internal/level-write-buffer.ts';

type Op = { type: 'put' | 'del'; key: Buffer; value?: Buffer };

/** A stand-in for classic-level's `batch`: records the batches, resolves or rejects them on demand. */
class FakeDb {
  readonly applied: string[][] = [];
  private readonly waiting: Array<{ ops: Op[]; resolve: () => void; reject: (e: Error) => void }> = [];

  batch(ops: Op[]): Promise<void> {
    return new Promise((resolve, reject) => this.waiting.push({ ops, resolve, reject }));
  }

  /** Completes the oldest pending batch (they arrive one at a time: the buffer chains them). */
  async complete(fail?: Error): Promise<void> {
    await new Promise((r) => setTimeout(r, 0));
    const next = this.waiting.shift()!;
    if (fail) next.reject(fail);
    else {
      this.applied.push(next.ops.map((o) => `${o.type} ${o.key}${o.value ? `=${o.value}` : ''}`));
      next.resolve();
    }
  }

  get pending(): number {
    return this.waiting.length;
  }
}

const b = (s: string) => Buffer.from(s);
const asDb = (db: FakeDb) => db as unknown as ClassicLevel<Buffer, Buffer>;

describe('LevelWriteBuffer', () => {
  it('keeps the last write per key, serves reads until LevelDB confirms, and writes batches in order', async () => {
    const db = new FakeDb();
    const buffer = new LevelWriteBuffer(asDb(db), 1 << 20);
    buffer.set(b('a'), b('1'));
    buffer.set(b('a'), b('2'));
    buffer.set(b('b'), null);
    buffer.cut();
    buffer.set(b('a'), b('3'));
    buffer.cut();
    expect(buffer.lookup('a')?.toString()).toBe('3');
    expect(buffer.lookup('b')).toBeNull();
    expect(buffer.lookup('c')).toBeUndefined();
    expect(buffer.batchesInFlight).toBe(2);
    await new Promise((r) => setTimeout(r, 0));
    expect(db.pending).toBe(1); // the second batch waits for the first
    await db.complete();
    await db.complete();
    await buffer.drain();
    expect(db.applied).toEqual([['put a=2', 'del b'], ['put a=3']]);
    expect(buffer.isEmpty).toBe(true);
  });

  it('cuts a batch by itself once the buffered bytes pass the limit', () => {
    const db = new FakeDb();
    const buffer = new LevelWriteBuffer(asDb(db), 200);
    buffer.set(b('a'), Buffer.alloc(100));
    expect(buffer.batchesInFlight).toBe(0);
    buffer.set(b('b'), Buffer.alloc(100));
    expect(buffer.batchesInFlight).toBe(1);
  });

  it('rethrows a failed write from drain, and writes nothing after it', async () => {
    const db = new FakeDb();
    const buffer = new LevelWriteBuffer(asDb(db), 1 << 20);
    buffer.set(b('a'), b('1'));
    buffer.cut();
    buffer.set(b('b'), b('2'));
    const drained = buffer.drain();
    await db.complete(new Error('disk full'));
    await expect(drained).rejects.toThrow('disk full');
    expect(db.pending).toBe(0);
    expect(db.applied).toEqual([]);
  });
});
