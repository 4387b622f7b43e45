/*
 * The key-value store contract, run against every byte store implementation.
 * Written by the state engineer because it was needed before the engine engineer's
 * version existed; engine engineer: extend it here rather than writing a second one.
 * Used by in-memory-key-value-store.test.ts, level-key-value-store.test.ts and
 * caching-key-value-store.test.ts.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../../runtime/state/state-store.ts';
import { b, collect, RecordingContext, tempStateDir } from './store-test-context.ts';

export type StoreFactory = () => KeyValueStore<Buffer, Buffer>;

export function keyValueStoreContract(label: string, factory: StoreFactory): void {
  describe(`KeyValueStore contract: ${label}`, () => {
    let store: KeyValueStore<Buffer, Buffer>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      const tmp = await tempStateDir();
      cleanup = tmp.cleanup;
      store = factory();
      await store.init(new RecordingContext(tmp.dir));
    });

    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('returns undefined for a missing key, and the last value put', () => {
      expect(store.get(b('a'))).toBeUndefined();
      store.put(b('a'), b('1'));
      store.put(b('a'), b('2'));
      expect(store.get(b('a'))?.toString()).toBe('2');
    });

    it('delete returns the old value and removes the key; deleting a missing key returns undefined', () => {
      store.put(b('a'), b('1'));
      expect(store.delete(b('a'))?.toString()).toBe('1');
      expect(store.get(b('a'))).toBeUndefined();
      expect(store.delete(b('a'))).toBeUndefined();
    });

    it('putIfAbsent writes only when absent and returns the existing value', () => {
      expect(store.putIfAbsent(b('a'), b('1'))).toBeUndefined();
      expect(store.putIfAbsent(b('a'), b('2'))?.toString()).toBe('1');
      expect(store.get(b('a'))?.toString()).toBe('1');
    });

    it('keeps values across flush', async () => {
      store.put(b('a'), b('1'));
      store.put(b('b'), b('2'));
      store.delete(b('b'));
      await store.flush();
      expect(store.get(b('a'))?.toString()).toBe('1');
      expect(store.get(b('b'))).toBeUndefined();
    });

    it('scans in unsigned byte order, bounds inclusive, either bound optional', async () => {
      for (const k of ['b', 'a', 'ab', 'a\u0000', 'c', 'd']) store.put(b(k), b(`v${k}`));
      await store.flush();
      store.put(b('bb'), b('vbb'));
      store.delete(b('c'));
      const keys = async (from?: string, to?: string) =>
        (await collect(store.range(from === undefined ? undefined : b(from), to === undefined ? undefined : b(to)))).map(([k]) => k);
      expect(await keys()).toEqual(['a', 'a\u0000', 'ab', 'b', 'bb', 'd']);
      expect(await keys('ab', 'bb')).toEqual(['ab', 'b', 'bb']);
      expect(await keys('b')).toEqual(['b', 'bb', 'd']);
      expect(await keys(undefined, 'a\u0000')).toEqual(['a', 'a\u0000']);
      expect(await keys('c', 'c')).toEqual([]);
      expect(await keys('d', 'a')).toEqual([]);
      expect((await collect(store.all())).map(([k, v]) => `${k}=${v}`)).toEqual(['a=va', 'a\u0000=va\u0000', 'ab=vab', 'b=vb', 'bb=vbb', 'd=vd']);
    });

    it('orders binary keys as unsigned bytes (0x7f before 0x80 before 0xff)', async () => {
      for (const byte of [0xff, 0x00, 0x80, 0x7f, 0x01]) store.put(Buffer.from([byte]), Buffer.from([byte]));
      const keys: number[] = [];
      for await (const e of store.all()) keys.push(e.key[0]!);
      expect(keys).toEqual([0x00, 0x01, 0x7f, 0x80, 0xff]);
    });

    it('a scan sees the store as it was when the scan started', async () => {
      store.put(b('a'), b('1'));
      store.put(b('b'), b('2'));
      await store.flush();
      store.put(b('c'), b('3'));
      const seen: string[] = [];
      for await (const e of store.all()) {
        seen.push(`${e.key}=${e.value}`);
        store.put(b('a'), b('changed'));
        store.put(b('bb'), b('new'));
        store.delete(b('c'));
      }
      expect(seen).toEqual(['a=1', 'b=2', 'c=3']);
      expect(store.get(b('a'))?.toString()).toBe('changed');
    });

    it('a scan abandoned early leaves the store usable', async () => {
      for (let i = 0; i < 50; i++) store.put(b(`k${String(i).padStart(2, '0')}`), b(String(i)));
      await store.flush();
      for await (const e of store.all()) {
        expect(e.key.toString()).toBe('k00');
        break;
      }
      expect((await collect(store.range(b('k48')))).length).toBe(2);
    });

    it('counts entries across puts, overwrites and deletes', async () => {
      store.put(b('a'), b('1'));
      store.put(b('b'), b('1'));
      store.put(b('a'), b('2'));
      store.delete(b('x'));
      expect(store.approximateNumEntries()).toBe(2);
      await store.flush();
      store.delete(b('a'));
      expect(store.approximateNumEntries()).toBe(1);
    });

    it('restore applies changelog records, null deleting', async () => {
      store.put(b('gone'), b('1'));
      await store.flush();
      store.restore!(b('a'), b('1'));
      store.restore!(b('a'), b('2'));
      store.restore!(b('gone'), null);
      await store.flush();
      expect(store.get(b('a'))?.toString()).toBe('2');
      expect(store.get(b('gone'))).toBeUndefined();
      expect(await collect(store.all())).toEqual([['a', '2']]);
    });

    it('behaves like an ordered map under random puts and deletes (model-based)', async () => {
      const key = fc.uint8Array({ minLength: 0, maxLength: 3 }).map((a) => Buffer.from(a));
      const value = fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => Buffer.from(a));
      const op = fc.oneof(fc.record({ put: key, value }), fc.record({ del: key }));
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
          for await (const e of store.all()) store.delete(e.key);
          const model = new Map<string, Buffer>();
          for (const o of ops) {
            if ('put' in o) {
              store.put(o.put, o.value);
              model.set(o.put.toString('hex'), o.value);
            } else {
              expect(store.delete(o.del)?.toString('hex')).toBe(model.get(o.del.toString('hex'))?.toString('hex'));
              model.delete(o.del.toString('hex'));
            }
          }
          const expected = [...model.keys()].sort((x, y) => Buffer.compare(Buffer.from(x, 'hex'), Buffer.from(y, 'hex')));
          const actual: string[] = [];
          for await (const e of store.all()) {
            actual.push(e.key.toString('hex'));
            expect(e.value.toString('hex')).toBe(model.get(e.key.toString('hex'))!.toString('hex'));
          }
          expect(actual).toEqual(expected);
          expect(store.approximateNumEntries()).toBe(model.size);
        }),
        { numRuns: 20 },
      );
    });
  });
}
