import { describe, expect, it } from 'vitest';
import { Topology } from '../../../../runtime/dsl/topology.ts';
import { Serdes } from '../../../../runtime/serde/serdes.ts';
import type { OutgoingRecord, RawRecord } from '../../../../runtime/task/internal/record-collector.ts';
import { StreamTask } from '../../../../runtime/task/internal/stream-task.ts';
import { StreamTaskHandle } from '../../../../runtime/task/internal/stream-task-handle.ts';
import { ManualClock } from '../../../../runtime/time/clock.ts';

function handleOverMerge(out: OutgoingRecord[]): StreamTaskHandle {
  const topology = new Topology()
    .addSource('a', 'ta', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .addSource('b', 'tb', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .addSink('sink', 'out', { keySerde: Serdes.String(), valueSerde: Serdes.String() }, 'a', 'b');
  const compiled = topology.compile({ applicationId: 'app' });
  const task = new StreamTask({
    topology: compiled,
    subtopology: compiled.subtopologies[0]!,
    partition: 2,
    collector: { send: (r) => out.push(r) },
    stateDir: '/nonexistent',
    clock: new ManualClock(0),
  });
  return new StreamTaskHandle(task);
}

const raw = (topic: string, offset: number, timestamp: number): RawRecord => ({
  topic,
  partition: 2,
  offset: String(offset),
  key: Buffer.from(`${topic}${offset}`),
  value: Buffer.from('v'),
  timestamp,
  headers: {},
});

describe('StreamTaskHandle', () => {
  it('takes records in timestamp order across co-partitioned inputs and commits last processed + 1', async () => {
    const out: OutgoingRecord[] = [];
    const handle = handleOverMerge(out);
    expect(handle.partitions).toEqual([
      { topic: 'ta', partition: 2 },
      { topic: 'tb', partition: 2 },
    ]);
    await handle.initializeStores();
    await handle.initializeProcessors();
    handle.addRecords([raw('ta', 10, 100), raw('ta', 11, 300)]);
    handle.addRecords([raw('tb', 5, 200), raw('tb', 6, 400)]);
    expect([handle.buffered('ta'), handle.buffered('tb')]).toEqual([2, 2]);
    expect(await handle.process(3)).toBe(3);
    expect(out.map((r) => r.key!.toString())).toEqual(['ta10', 'tb5', 'ta11']);
    expect(handle.committableOffsets()).toEqual(new Map([
      ['ta', '12'],
      ['tb', '6'],
    ]));
    expect(await handle.process(10)).toBe(1);
    expect(handle.committableOffsets().get('tb')).toBe('7');
    expect(await handle.process(10)).toBe(0);
    await handle.close();
  });
});
