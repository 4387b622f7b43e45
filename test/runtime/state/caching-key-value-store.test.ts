import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CachingKeyValueStore } from '../../../runtime/state/caching-key-value-store.ts';
import { ChangeLoggingKeyValueStore } from '../../../runtime/state/change-logging-key-value-store.ts';
import { InMemoryKeyValueStore } from '../../../runtime/state/in-memory-key-value-store.ts';
import { LevelKeyValueStore } from '../../../runtime/state/level-key-value-store.ts';
import { b, collect, RecordingContext, tempStateDir } from './store-test-context.ts';

async function openStack(maxBytes = 1 << 20) {
  const { dir, cleanup } = await tempStateDir();
  const context = new RecordingContext(dir);
  const inner = new LevelKeyValueStore('kv');
  const store = new CachingKeyValueStore(new ChangeLoggingKeyValueStore(inner), { maxBytes });
  await store.init(context);
  return { store, inner, context, close: async () => (await store.close(), await cleanup()) };
}

describe('CachingKeyValueStore', () => {
  it('turns repeated writes to a key between commits into one changelog record, stamped with the last write time', async () => {
    const { store, inner, context, close } = await openStack();
    for (let i = 1; i <= 100; i++) {
      context.time = 1000 + i;
      store.put(b('hot'), b(String(i)));
    }
    context.time = 5000;
    store.put(b('gone'), b('x'));
    store.delete(b('gone'));
    expect(context.changes).toEqual([]);
    expect(inner.get(b('hot'))).toBeUndefined();
    await store.flush();
    // 'gone' was created and deleted within the commit: the store and the changelog never see it
    expect(context.changes).toEqual([{ store: 'kv', key: 'hot', value: '100', timestamp: 1100 }]);
    context.time = 6000;
    store.put(b('hot'), b('101'));
    store.delete(b('hot'));
    await store.flush();
    expect(context.changes[1]).toEqual({ store: 'kv', key: 'hot', value: null, timestamp: 6000 });
    expect(inner.get(b('hot'))).toBeUndefined();
    store.put(b('hot'), b('100'));
    await store.flush();
    expect(inner.get(b('hot'))?.toString()).toBe('100');
    expect(context.changes).toHaveLength(3);
    await store.flush();
    expect(context.changes).toHaveLength(3);
    await close();
  });

  it('when it outgrows its bytes, writes all dirty entries down once and evicts the least recently used', async () => {
    const { store, inner, context, close } = await openStack(2000);
    for (let i = 0; i < 10; i++) store.put(b(`k${i}`), Buffer.alloc(50, i));
    expect(context.changes).toEqual([]);
    for (let i = 10; i < 20; i++) store.put(b(`k${i}`), Buffer.alloc(50, i));
    const written = context.changes.length;
    expect(written).toBeGreaterThan(0);
    expect(new Set(context.changes.map((c) => c.key)).size).toBe(written);
    expect(inner.get(b('k0'))?.[0]).toBe(0);
    // every key still reads back, from cache or from below
    for (let i = 0; i < 20; i++) expect(store.get(b(`k${i}`))?.[0]).toBe(i);
    await store.flush();
    expect(context.changes.map((c) => c.key).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
    await close();
  });

  it('evicts the least recently used entries, keeping ones read since', async () => {
    class CountingStore extends InMemoryKeyValueStore {
      reads = 0;
      override get(key: Buffer): Buffer | undefined {
        this.reads++;
        return super.get(key);
      }
    }
    const inner = new CountingStore('kv');
    // each entry costs 2 * 3 (key) + 50 (value) + 96 (overhead) = 152 bytes: 10 fit in 1600
    const store = new CachingKeyValueStore(inner, { maxBytes: 1600 });
    await store.init(new RecordingContext('/nonexistent'));
    for (let i = 0; i < 10; i++) store.put(b(`k0${i}`), Buffer.alloc(50));
    expect(inner.reads).toBe(10); // each blind put asks once whether the key exists below
    store.get(b('k00'));
    store.get(b('k05'));
    for (let i = 10; i < 12; i++) store.put(b(`k${i}`), Buffer.alloc(50));
    const before = inner.reads;
    store.get(b('k00'));
    store.get(b('k05'));
    store.get(b('k11'));
    expect(inner.reads).toBe(before);
    store.get(b('k01'));
    expect(inner.reads).toBe(before + 1);
  });

  it('restoration bypasses the cache and the changelog', async () => {
    const { store, context, close } = await openStack();
    store.get(b('a'));
    store.restore(b('a'), b('restored'));
    expect(store.get(b('a'))?.toString()).toBe('restored');
    await store.flush();
    expect(context.changes).toEqual([]);
    await close();
  });

  it('tells the flush listener each write-down', async () => {
    const { store, context, close } = await openStack();
    const seen: string[] = [];
    store.setFlushListener((k, v, t) => seen.push(`${k}=${v === null ? 'null' : v.toString()}@${t}`));
    context.time = 7;
    store.put(b('a'), b('1'));
    store.put(b('a'), b('2'));
    store.put(b('b'), b('1'));
    await store.flush();
    store.delete(b('b'));
    store.put(b('c'), b('1'));
    store.delete(b('c'));
    await store.flush();
    expect(seen).toEqual(['a=2@7', 'b=1@7', 'b=null@7']);
    await close();
  });

  it('gives the flush listener the old value without reading the store below again', async () => {
    const { store, inner, close } = await openStack();
    const seen: string[] = [];
    store.setFlushListener((k, v, _t, old) => seen.push(`${k}: ${old?.toString() ?? 'none'} -> ${v?.toString() ?? 'none'}`));
    store.put(b('a'), b('1'));
    await store.flush();
    store.put(b('a'), b('2'));
    store.put(b('a'), b('3'));
    store.get(b('b'));
    store.put(b('b'), b('1'));
    let reads = 0;
    const get = inner.get.bind(inner);
    inner.get = (key) => (reads++, get(key));
    await store.flush();
    store.delete(b('a'));
    await store.flush();
    expect(seen).toEqual(['a: none -> 1', 'a: 1 -> 3', 'b: none -> 1', 'a: 3 -> none']);
    expect(reads).toBe(0);
    await close();
  });

  it('behaves like a map, its changelog replays to the same map, and each write-down names the value below as the old one (random operations)', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const op = fc.oneof(
      fc.record({ t: fc.constant('put' as const), k: key, v: fc.string({ maxLength: 40 }) }),
      fc.record({ t: fc.constant('delete' as const), k: key }),
      fc.record({ t: fc.constant('get' as const), k: key }),
      fc.record({ t: fc.constant('flush' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.integer({ min: 200, max: 3000 }), async (ops, maxBytes) => {
        const { store, context, close } = await openStack(maxBytes);
        const model = new Map<string, string>();
        // What the store below holds, from the write-downs alone (flushes and evictions).
        const below = new Map<string, string>();
        const oldValues: [string | null, string | null][] = [];
        store.setFlushListener((k, v, _t, old) => {
          oldValues.push([old?.toString() ?? null, below.get(k.toString()) ?? null]);
          if (v === null) below.delete(k.toString());
          else below.set(k.toString(), v.toString());
        });
        for (const o of ops) {
          if (o.t === 'put') {
            store.put(b(o.k), b(o.v));
            model.set(o.k, o.v);
          }
          else if (o.t === 'delete') {
            const expected = model.get(o.k);
            model.delete(o.k);
            expect(store.delete(b(o.k))?.toString()).toBe(expected);
          }
          else if (o.t === 'get') expect(store.get(b(o.k))?.toString()).toBe(model.get(o.k));
          else await store.flush();
        }
        const sorted = [...model].sort(([x], [y]) => (x < y ? -1 : 1));
        expect(await collect(store.all())).toEqual(sorted);
        expect(store.approximateNumEntries()).toBe(model.size);
        await store.flush();
        const replay = new Map<string, string>();
        for (const c of context.changes) {
          if (c.value === null) replay.delete(c.key);
          else replay.set(c.key, c.value);
        }
        expect([...replay].sort(([x], [y]) => (x < y ? -1 : 1))).toEqual(sorted);
        for (const [reported, expected] of oldValues) expect(reported).toBe(expected);
        await close();
      }),
      { numRuns: 40 },
    );
  });
});
