import { describe, expect, it } from 'vitest';
import { ChangeLoggingWindowStore } from '../../../runtime/state/change-logging-window-store.ts';
import { inMemoryWindowStore } from '../../../runtime/state/segmented-window-store.ts';
import { TypedWindowStore } from '../../../runtime/state/typed-window-store.ts';
import { JsonSerde } from '../../../runtime/serde/json-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { RecordingContext } from './store-test-context.ts';

describe('TypedWindowStore', () => {
  it('serializes keys and values with serdes and logs [key bytes][start] to the changelog', async () => {
    const context = new RecordingContext('/nonexistent');
    const bytes = new ChangeLoggingWindowStore(inMemoryWindowStore('revenue', { windowSize: 60_000, retentionMs: 60_000 + 48 * 3_600_000 }));
    const store = new TypedWindowStore(bytes, new StringSerde(), new JsonSerde<{ orders: number }>());
    await store.init(context);
    context.time = 61_000;
    store.put('books', { orders: 2 }, 60_000);
    store.put('games', { orders: 1 }, 60_000);
    expect(store.fetch('books', 60_000)).toEqual({ orders: 2 });
    const got: string[] = [];
    for await (const e of store.fetchKeyRange('a', 'c', 0, 120_000)) got.push(`${e.key} [${e.windowStart},${e.windowEnd}) ${JSON.stringify(e.value)}`);
    expect(got).toEqual(['books [60000,120000) {"orders":2}']);
    const first = context.rawChanges[0]!;
    expect(first.key).toEqual(Buffer.concat([Buffer.from('books'), Buffer.from([0, 0, 0, 0, 0, 0, 0xea, 0x60])]));
    expect(JSON.parse(first.value!.toString())).toEqual({ orders: 2 });
    expect(first.timestamp).toBe(61_000);
  });
});
