/*
 * The window store contract, run against the persistent and the in-memory window store
 * (segmented-window-store.test.ts) and the change-logged stack.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WindowStore, WindowStoreOptions } from '../../../runtime/state/window-store.ts';
import { b, RecordingContext, tempStateDir } from './store-test-context.ts';

export type WindowStoreFactory = (options: WindowStoreOptions) => WindowStore<Buffer, Buffer>;

const str = (v: Buffer | undefined) => v?.toString();

async function windows(entries: AsyncIterable<{ key: Buffer; windowStart: number; windowEnd: number; value: Buffer }>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of entries) out.push(`${e.key.toString('hex')}@${e.windowStart}-${e.windowEnd}=${e.value}`);
  return out;
}

export function windowStoreContract(label: string, factory: WindowStoreFactory, features: { duplicates: boolean } = { duplicates: true }): void {
  describe(`WindowStore contract: ${label}`, () => {
    // windows of 10 ms kept 100 ms, in 50 ms segments: several segments in play
    const options: WindowStoreOptions = { windowSize: 10, retentionMs: 100, segmentIntervalMs: 50 };
    let store: WindowStore<Buffer, Buffer>;
    let cleanup: () => Promise<void>;
    const open = async (o: WindowStoreOptions = options) => {
      const tmp = await tempStateDir();
      cleanup = tmp.cleanup;
      store = factory(o);
      await store.init(new RecordingContext(tmp.dir));
    };

    beforeEach(() => open());
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('fetches a window by key and start; null deletes it', async () => {
      store.put(b('a'), b('1'), 0);
      store.put(b('a'), b('2'), 10);
      store.put(b('b'), b('3'), 10);
      expect([str(store.fetch(b('a'), 0)), str(store.fetch(b('a'), 10)), str(store.fetch(b('b'), 10))]).toEqual(['1', '2', '3']);
      expect(store.fetch(b('a'), 20)).toBeUndefined();
      store.put(b('a'), null, 10);
      await store.flush();
      expect(store.fetch(b('a'), 10)).toBeUndefined();
      expect(str(store.fetch(b('a'), 0))).toBe('1');
    });

    it('fetchRange yields one key\'s windows in [from, to] by start, across segments', async () => {
      for (const start of [90, 0, 40, 50, 60, 100]) store.put(b('k'), b(`v${start}`), start);
      store.put(b('j'), b('other'), 50);
      store.put(b('kk'), b('other'), 50);
      const got: string[] = [];
      for await (const w of store.fetchRange(b('k'), 40, 90)) got.push(`${w.windowStart}=${w.value}`);
      expect(got).toEqual(['40=v40', '50=v50', '60=v60', '90=v90']);
    });

    it('fetchRange skips longer keys that begin with the key and look like its windows', async () => {
      const trap = Buffer.concat([b('a'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 5])]);
      store.put(trap, b('trap'), 7);
      store.put(b('a'), b('real'), 8);
      const got: string[] = [];
      for await (const w of store.fetchRange(b('a'), 0, 20)) got.push(`${w.windowStart}=${w.value}`);
      expect(got).toEqual(['8=real']);
      expect(str(store.fetch(trap, 7))).toBe('trap');
    });

    it('fetchKeyRange filters keys (inclusive) and starts; windows carry their end', async () => {
      for (const k of ['a', 'b', 'c', 'd']) for (const t of [10, 60]) store.put(b(k), b(`${k}${t}`), t);
      expect(await windows(store.fetchKeyRange(b('b'), b('c'), 0, 100))).toEqual(['62@10-20=b10', '63@10-20=c10', '62@60-70=b60', '63@60-70=c60']);
      expect(await windows(store.fetchKeyRange(undefined, b('a'), 60, 60))).toEqual(['61@60-70=a60']);
      expect((await windows(store.all())).length).toBe(8);
    });

    it('keeps windows for the retention, counted back from the largest start seen', async () => {
      store.put(b('k'), b('old'), 0);
      store.put(b('k'), b('edge'), 99);
      expect(str(store.fetch(b('k'), 0))).toBe('old'); // live while start > observed - retention: 0 > -1
      store.put(b('k'), b('closed'), 100); // window [0, 10) + grace 90 closes at 100
      expect(store.fetch(b('k'), 0)).toBeUndefined();
      store.put(b('k'), b('new'), 150); // live from 51
      store.put(b('k'), b('late'), 50); // expired on arrival: dropped
      expect(store.fetch(b('k'), 50)).toBeUndefined();
      await store.flush();
      const got: string[] = [];
      for await (const w of store.fetchRange(b('k'), 0, 1000)) got.push(`${w.windowStart}=${w.value}`);
      expect(got).toEqual(['99=edge', '100=closed', '150=new']);
      expect(await windows(store.all())).toEqual(['6b@99-109=edge', '6b@100-110=closed', '6b@150-160=new']);
    });

    // Stores that refuse duplicates (the caching store) prove it in their own tests; the
    // case is not registered for them rather than reported as skipped.
    if (features.duplicates) it('retains duplicates when asked to', async () => {
      await store.close();
      await cleanup();
      await open({ ...options, retainDuplicates: true });
      store.put(b('k'), b('x'), 5);
      store.put(b('k'), b('y'), 5);
      store.put(b('k'), null, 5);
      const got: string[] = [];
      for await (const w of store.fetchRange(b('k'), 0, 10)) got.push(`${w.windowStart}=${w.value}`);
      expect(got).toEqual(['5=x', '5=y']);
    });
  });
}
