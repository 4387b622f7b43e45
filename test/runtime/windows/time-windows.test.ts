import { describe, expect, it } from 'vitest';
import { TimeWindows } from '../../../runtime/windows/time-windows.ts';
import { source, windowRig } from './windows-support.ts';

const size = 10_000;
const grace = 5_000;
const tumbling = TimeWindows.tumbling({ size, grace });

describe('TimeWindows', () => {
  it('aligns windows to the epoch; hopping windows overlap', () => {
    expect(tumbling.windowStartsFor(0)).toEqual([0]);
    expect(tumbling.windowStartsFor(9_999)).toEqual([0]);
    expect(tumbling.windowStartsFor(10_000)).toEqual([10_000]);
    const hopping = TimeWindows.hopping({ size: '10s', advance: '5s' });
    expect(hopping.windowStartsFor(12_000)).toEqual([5_000, 10_000]);
    expect(hopping.windowStartsFor(3_000)).toEqual([0]);
    expect(hopping.graceMs).toBe(48 * 3_600_000);
  });

  it('rejects an advance larger than the size', () => {
    expect(() => TimeWindows.hopping({ size: '1m', advance: '2m' })).toThrow(
      'TimeWindows advance must be in (0, size=60000], got 120000',
    );
  });
});

describe('tumbling windows, emit on update', () => {
  it('puts a record exactly at the window end into the next window', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(tumbling));
    await rig.input.pipeInput('a', 1, 9_999);
    await rig.input.pipeInput('a', 2, 10_000);
    expect(rig.results().map((r) => [r.start, r.end, r.value])).toEqual([
      [0, 10_000, 1],
      [10_000, 20_000, 2],
    ]);
  });

  it('accepts a record until stream time reaches end + grace, then sends it to late events', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(tumbling));
    await rig.input.pipeInput('a', 1, 1_000);
    await rig.input.pipeInput('b', 1, size + grace - 1); // stream time = end + grace - 1
    await rig.input.pipeInput('a', 10, 2_000); // still in grace: a correction
    await rig.input.pipeInput('b', 1, size + grace); // stream time = end + grace: window [0,10s) closes
    await rig.input.pipeInput('a', 100, 9_999); // late, by 1 ms of grace
    await rig.input.pipeInput('b', 1, size + grace + 1);
    await rig.input.pipeInput('a', 1_000, 0); // late, by 2 ms
    const a = rig.results().filter((r) => r.key === 'a');
    expect(a.map((r) => [r.start, r.value, r.correction])).toEqual([
      [0, 1, false],
      [0, 11, true],
    ]);
    expect(rig.lateRecords()).toEqual([
      { key: 'a', value: 100, ts: 9_999, reason: 'window-closed', missedBy: 1 },
      { key: 'a', value: 1_000, ts: 0, reason: 'window-closed', missedBy: 2 },
    ]);
  });

  it('aggregates out-of-order records inside one window', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(tumbling));
    for (const [v, ts] of [
      [1, 5_000],
      [2, 1_000],
      [4, 9_000],
      [8, 0],
    ])
      await rig.input.pipeInput('k', v!, ts!);
    expect(rig.results().map((r) => r.value)).toEqual([1, 3, 7, 15]);
    expect(rig.lateRecords()).toEqual([]);
  });
});

describe('tumbling windows, emit on window close', () => {
  it('emits one final result when stream time reaches end + grace, not before', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(tumbling).emit('onWindowClose'));
    await rig.input.pipeInput('a', 1, 0);
    await rig.input.pipeInput('a', 2, 9_999);
    await rig.input.pipeInput('x', 0, size + grace - 1);
    expect(rig.results()).toEqual([]);
    await rig.input.pipeInput('a', 4, 3_000); // within grace
    await rig.input.pipeInput('x', 0, size + grace);
    expect(rig.results()).toEqual([{ key: 'a', start: 0, end: size, value: 7, ts: size - 1, correction: false }]);
    await rig.input.pipeInput('a', 8, 3_000);
    expect(rig.lateRecords().map((r) => [r.value, r.missedBy])).toEqual([[8, 1]]);
  });
});

describe('tumbling windows, emit on time with late corrections', () => {
  it('emits at the window end, then a correction per late record within the grace', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(tumbling).emit('onTimeWithCorrections'));
    await rig.input.pipeInput('a', 1, 1_000);
    await rig.input.pipeInput('a', 2, 2_000);
    expect(rig.results()).toEqual([]);
    await rig.input.pipeInput('x', 0, size); // stream time = window end
    expect(rig.results()).toEqual([{ key: 'a', start: 0, end: size, value: 3, ts: size - 1, correction: false }]);
    await rig.input.pipeInput('a', 4, 9_999);
    await rig.input.pipeInput('a', 8, 0);
    expect(rig.results().map((r) => [r.value, r.correction])).toEqual([
      [7, true],
      [15, true],
    ]);
    await rig.input.pipeInput('x', 0, size + grace);
    await rig.input.pipeInput('a', 16, 5_000);
    expect(rig.lateRecords().map((r) => r.value)).toEqual([16]);
    expect(rig.results().filter((r) => r.key === 'a')).toEqual([]);
  });
});

describe('hopping windows', () => {
  it('counts a record in every window that contains it and reports one that missed some', async () => {
    const hopping = TimeWindows.hopping({ size: 10_000, advance: 5_000, grace: 0 });
    const rig = await windowRig((b) => source(b).windowedBy(hopping));
    await rig.input.pipeInput('a', 1, 7_000);
    expect(rig.results().map((r) => [r.start, r.value])).toEqual([
      [0, 1],
      [5_000, 1],
    ]);
    await rig.input.pipeInput('a', 1, 10_000); // stream time 10 s: window [0,10s) closes
    rig.results();
    await rig.input.pipeInput('a', 1, 9_000); // misses [0,10s), still counts in [5s,15s)
    expect(rig.results().map((r) => [r.start, r.value])).toEqual([[5_000, 3]]);
    expect(rig.lateRecords().map((r) => [r.ts, r.missedBy])).toEqual([[9_000, 1]]);
  });
});

describe('hopping windows at the boundaries', () => {
  const hopping = TimeWindows.hopping({ size: 10_000, advance: 5_000, grace: 1_000 });

  it('puts a record exactly at a window end into the windows that start there or before it and end after it', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(hopping));
    await rig.input.pipeInput('a', 1, 10_000);
    expect(rig.results().map((r) => [r.start, r.end])).toEqual([
      [5_000, 15_000],
      [10_000, 20_000],
    ]);
  });

  it('accepts records for a window until stream time reaches its end + grace, then reports them late by how much', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(hopping));
    await rig.input.pipeInput('x', 0, 10_999); // [0,10s) closes at 11 000
    await rig.input.pipeInput('a', 1, 4_999); // only in [0,10s): accepted
    await rig.input.pipeInput('x', 0, 11_000); // end + grace: [0,10s) is closed
    await rig.input.pipeInput('a', 2, 4_999); // late by 1 ms
    await rig.input.pipeInput('x', 0, 11_001);
    await rig.input.pipeInput('a', 4, 4_999); // late by 2 ms
    expect(
      rig
        .results()
        .filter((r) => r.key === 'a')
        .map((r) => [r.start, r.value]),
    ).toEqual([[0, 1]]);
    expect(rig.lateRecords().map((r) => [r.value, r.missedBy])).toEqual([
      [2, 1],
      [4, 2],
    ]);
  });
});
