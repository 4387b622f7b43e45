import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CachingWindowStore } from '../../../runtime/state/caching-window-store.ts';
import { ChangeLoggingWindowStore } from '../../../runtime/state/change-logging-window-store.ts';
import { inMemoryWindowStore, persistentWindowStore } from '../../../runtime/state/segmented-window-store.ts';
import type { WindowStore, WindowStoreOptions } from '../../../runtime/state/window-store.ts';
import { b, RecordingContext, tempStateDir } from './store-test-context.ts';

// Random puts, deletes and flushes against a plain model of windows with retention:
// a window is live while start > (largest start seen) - retention; expired puts are dropped.
const options: WindowStoreOptions = { windowSize: 10, retentionMs: 100, segmentIntervalMs: 30 };
const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('put' as const),
      k: fc.constantFrom('a', 'b', 'ab'),
      start: fc.integer({ min: 0, max: 40 }).map((x) => x * 10), // a coarse grid hits the retention boundary often
      v: fc.option(fc.string({ maxLength: 5 }), { freq: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('flush' as const) }) },
);

async function check(make: (o: WindowStoreOptions) => WindowStore<Buffer, Buffer>, runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 50 }), async (ops) => {
      const { dir, cleanup } = await tempStateDir();
      const store = make(options);
      await store.init(new RecordingContext(dir));
      const model = new Map<string, string>();
      let observed = -1;
      for (const o of ops) {
        if (o.t === 'flush') {
          await store.flush();
          continue;
        }
        store.put(b(o.k), o.v === null ? null : b(o.v), o.start);
        observed = Math.max(observed, o.start);
        if (o.start <= observed - options.retentionMs) continue;
        if (o.v === null) model.delete(`${o.k}@${o.start}`);
        else model.set(`${o.k}@${o.start}`, o.v);
      }
      const live = [...model].filter(([w]) => Number(w.split('@')[1]) > observed - options.retentionMs);
      for (const key of ['a', 'b', 'ab']) {
        const expected = live
          .filter(([w]) => w.split('@')[0] === key)
          .map(([w, v]) => `${Number(w.split('@')[1])}=${v}`)
          .sort((x, y) => Number(x.split('=')[0]) - Number(y.split('=')[0]));
        const got: string[] = [];
        for await (const w of store.fetchRange(b(key), 0, 1000)) got.push(`${w.windowStart}=${w.value}`);
        expect(got).toEqual(expected);
      }
      const all: string[] = [];
      for await (const e of store.all()) all.push(`${e.key}@${e.windowStart}=${e.value}`);
      expect(all.sort()).toEqual(live.map(([w, v]) => `${w}=${v}`).sort());
      for (const [w, v] of live) expect(store.fetch(b(w.split('@')[0]!), Number(w.split('@')[1]))?.toString()).toBe(v);
      await store.close();
      await cleanup();
    }),
    { numRuns: runs },
  );
}

describe('window stores against a model', () => {
  it('inMemoryWindowStore', () => check((o) => inMemoryWindowStore('w', o), 60));
  it('persistentWindowStore', () => check((o) => persistentWindowStore('w', o), 25));
  it('caching(changeLogging(persistentWindowStore)), 400-byte cache', () =>
    check((o) => new CachingWindowStore(new ChangeLoggingWindowStore(persistentWindowStore('w', o)), { maxBytes: 400 }), 25));
});
