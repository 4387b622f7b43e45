import { describe, expect, it } from 'vitest';
import { ChangeLoggingSessionStore } from '../../../runtime/state/change-logging-session-store.ts';
import { inMemorySessionStore } from '../../../runtime/state/segmented-session-store.ts';
import { TypedSessionStore } from '../../../runtime/state/typed-session-store.ts';
import { JsonSerde } from '../../../runtime/serde/json-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { RecordingContext } from './store-test-context.ts';

describe('TypedSessionStore', () => {
  it('merges sessions through findSessions with serdes, logging [key][end][start]', async () => {
    const context = new RecordingContext('/nonexistent');
    const store = new TypedSessionStore(new ChangeLoggingSessionStore(inMemorySessionStore('visits', { retentionMs: 600_000 })), new StringSerde(), new JsonSerde<number>());
    await store.init(context);
    store.put('u1', 1000, 1000, 1);
    store.put('u1', 9000, 9000, 1);
    // a click at 5000 with a 5 s gap bridges both sessions
    const merged = [];
    for await (const s of store.findSessions('u1', 5000 - 5000, 5000 + 5000)) merged.push(s);
    expect(merged.map((s) => [s.key, s.start, s.end, s.value])).toEqual([
      ['u1', 1000, 1000, 1],
      ['u1', 9000, 9000, 1],
    ]);
    for (const s of merged) store.remove(s.key, s.start, s.end);
    store.put('u1', 1000, 9000, 3);
    expect(store.fetchSession('u1', 1000, 9000)).toBe(3);
    const all = [];
    for await (const s of store.fetch('u1')) all.push(`${s.start}-${s.end}:${s.value}`);
    expect(all).toEqual(['1000-9000:3']);
    const last = context.rawChanges.at(-1)!;
    expect(last.key).toEqual(Buffer.concat([Buffer.from('u1'), Buffer.from([0, 0, 0, 0, 0, 0, 0x23, 0x28]), Buffer.from([0, 0, 0, 0, 0, 0, 0x03, 0xe8])]));
  });
});
