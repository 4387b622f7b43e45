import { describe, expect, it } from 'vitest';
import { Serdes } from '../../../../runtime/index.ts';
import { CachingKeyValueStore } from '../../../../runtime/state/caching-key-value-store.ts';
import { InMemoryKeyValueStore } from '../../../../runtime/state/in-memory-key-value-store.ts';
import { TypedKeyValueStore } from '../../../../runtime/state/internal/typed-key-value-store.ts';
import type { Serde } from '../../../../runtime/serde/serde.ts';
import { RecordingContext } from '../store-test-context.ts';

/** A JSON serde that counts its calls. */
function countingJson<T>() {
  const json = Serdes.Json<T>();
  const calls = { serialize: 0, deserialize: 0 };
  const serde: Serde<T> = {
    serialize: (topic, value) => (calls.serialize++, json.serialize(topic, value)),
    deserialize: (topic, data) => (calls.deserialize++, json.deserialize(topic, data)),
  };
  return { serde, calls };
}

async function typedStore(cached: boolean) {
  const { serde, calls } = countingJson<{ n: number }>();
  const inner = new InMemoryKeyValueStore('kv');
  const bytes = cached ? new CachingKeyValueStore(inner, { maxBytes: 1024 * 1024 }) : inner;
  const store = new TypedKeyValueStore(bytes, Serdes.String(), serde);
  await store.init(new RecordingContext('/nonexistent'));
  return { store, inner, calls };
}

describe('TypedKeyValueStore decoded values', () => {
  it.each([false, true])('cached %s: a read of what was just written, or just read, deserializes nothing', async (cached) => {
    const { store, calls } = await typedStore(cached);
    for (let i = 1; i <= 5; i++) store.put('k', { n: (store.get('k')?.n ?? 0) + i });
    expect(store.get('k')).toEqual({ n: 15 });
    expect(calls).toEqual({ serialize: 5, deserialize: 0 });
  });

  it('decodes again when the bytes below changed (a restore), and forgets deleted keys', async () => {
    const { store, calls } = await typedStore(false);
    store.put('k', { n: 1 });
    store.restore(Buffer.from('k'), Buffer.from('{"n":7}'));
    expect(store.get('k')).toEqual({ n: 7 });
    expect(store.get('k')).toEqual({ n: 7 });
    expect(calls.deserialize).toBe(1);
    expect(store.delete('k')).toEqual({ n: 7 });
    expect(store.get('k')).toBeUndefined();
    store.restore(Buffer.from('k'), Buffer.from('{"n":9}'));
    expect(store.get('k')).toEqual({ n: 9 });
  });

  it('object keys are always decoded again', async () => {
    const { serde, calls } = countingJson<number>();
    const store = new TypedKeyValueStore(new InMemoryKeyValueStore('kv'), Serdes.Json<{ id: string }>(), serde);
    await store.init(new RecordingContext('/nonexistent'));
    store.put({ id: 'a' }, 1);
    expect(store.get({ id: 'a' })).toBe(1);
    expect(calls.deserialize).toBe(1);
  });
});
