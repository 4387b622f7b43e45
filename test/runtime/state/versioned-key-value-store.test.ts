import { afterEach, describe, expect, it } from 'vitest';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { restoreAll } from '../../../runtime/state/batch-restore.ts';
import { VersionedKeyValueStoreBuilder } from '../../../runtime/state/versioned-key-value-store-builder.ts';
import type { VersionedKeyValueStore } from '../../../runtime/state/versioned-key-value-store.ts';
import { RecordingContext, tempStateDir } from './store-test-context.ts';

const STR = new StringSerde();
const DAY = 86_400_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function open(
  persistent: boolean,
  retention = 10 * DAY,
): Promise<{ store: VersionedKeyValueStore<string, string>; ctx: RecordingContext }> {
  const { dir, cleanup } = await tempStateDir();
  cleanups.push(cleanup);
  const store = new VersionedKeyValueStoreBuilder<string, string>('customers', persistent, retention, STR, STR).build();
  const ctx = new RecordingContext(dir);
  await store.init(ctx);
  cleanups.unshift(() => store.close());
  return { store, ctx };
}

const at = async (s: VersionedKeyValueStore<string, string>, key: string, t: number) => {
  const r = await s.get(key, t);
  return r === undefined ? undefined : [r.value, r.validFrom, r.validTo];
};

for (const persistent of [false, true]) {
  describe(`versioned key-value store (${persistent ? 'LevelDB' : 'memory'})`, () => {
    it('answers as-of reads from versions written out of order', async () => {
      const { store } = await open(persistent);
      expect(store.put('c1', 'gold', 300)).toBe(true);
      expect(store.put('c1', 'bronze', 100)).toBe(true); // out of order: an older version
      expect(store.put('c1', 'silver', 200)).toBe(true); // out of order: between the two
      expect(await at(store, 'c1', 50)).toBeUndefined();
      expect(await at(store, 'c1', 100)).toEqual(['bronze', 100, 200]);
      expect(await at(store, 'c1', 199)).toEqual(['bronze', 100, 200]);
      expect(await at(store, 'c1', 250)).toEqual(['silver', 200, 300]);
      expect(await at(store, 'c1', 10_000)).toEqual(['gold', 300, undefined]);
      expect(store.getLatest('c1')?.value).toBe('gold');
    });

    it('records deletes as tombstone versions', async () => {
      const { store } = await open(persistent);
      store.put('k', 'a', 10);
      store.put('k', null, 20);
      store.put('k', 'b', 30);
      expect(await at(store, 'k', 15)).toEqual(['a', 10, 20]);
      expect(await at(store, 'k', 25)).toEqual([null, 20, 30]);
      expect(await at(store, 'k', 30)).toEqual(['b', 30, undefined]);
    });

    it('refuses writes and reads older than the history retention', async () => {
      const { store } = await open(persistent, 1_000);
      store.put('k', 'a', 5_000);
      store.put('k', 'b', 6_000);
      expect(store.put('k', 'old', 4_999)).toBe(false); // 6000 - 1000 = 5000 is the bound
      expect(store.put('k', 'ok', 5_000)).toBe(true);
      expect(await at(store, 'k', 4_999)).toBeUndefined();
      expect(await at(store, 'k', 5_500)).toEqual(['ok', 5_000, 6_000]);
    });

    it('is restored from its changelog', async () => {
      const { store, ctx } = await open(persistent);
      store.put('c1', 'v2', 200);
      store.put('c1', 'v1', 100);
      store.put('c2', 'w', 150);
      const { store: copy } = await open(persistent);
      await restoreAll(copy, [ctx.rawChanges.map((c) => ({ key: c.key, value: c.value }))]);
      expect(await at(copy, 'c1', 150)).toEqual(['v1', 100, 200]);
      expect(await at(copy, 'c2', 1_000)).toEqual(['w', 150, undefined]);
      expect(copy.observedStreamTime).toBe(200);
    });
  });
}

describe('versioned key-value store history sweep', () => {
  it('drops versions superseded before the retention bound at a flush, keeping the one valid at the bound', async () => {
    const { store, ctx } = await open(false, 1_000);
    for (const t of [100, 200, 300, 1_500]) store.put('k', `v${t}`, t);
    store.put('k', 'v2500', 2_500); // bound 1500: v100..v300 superseded by 1500; v1500 valid at the bound
    await store.flush();
    const deletes = ctx.changes.filter((c) => c.value === null).length;
    expect(deletes).toBe(3);
    expect(await at(store, 'k', 1_600)).toEqual(['v1500', 1_500, 2_500]);
    expect(await at(store, 'k', 1_499)).toBeUndefined();
  });
});
