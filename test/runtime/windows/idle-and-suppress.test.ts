import { describe, expect, it } from 'vitest';
import { Suppressed } from '../../../runtime/dsl/suppressed.ts';
import { TimeWindows } from '../../../runtime/windows/time-windows.ts';
import { source, windowRig } from './windows-support.ts';

const windows = TimeWindows.tumbling({ size: 10_000, grace: 5_000 });

describe('idle-partition policy', () => {
  it('closes windows after the input has been quiet for the timeout of wall-clock time', async () => {
    const rig = await windowRig((b) =>
      source(b).windowedBy(windows).emit('onWindowClose').withIdlePolicy({ timeout: '30s', checkInterval: '1s' }),
    );
    await rig.input.pipeInput('k', 1, 1_000);
    await rig.input.pipeInput('k', 2, 2_000);
    await rig.driver.advanceWallClockTime(29_000); // quiet for 29 s: not idle yet
    expect(rig.results()).toEqual([]);
    await rig.driver.advanceWallClockTime(1_000); // idle: stream time = 2000 + 30000 >= end + grace
    expect(rig.results()).toEqual([{ key: 'k', start: 0, end: 10_000, value: 3, ts: 9_999, correction: false }]);
    await rig.input.pipeInput('k', 4, 9_000);
    expect(rig.lateRecords().map((r) => [r.value, r.missedBy])).toEqual([[4, 32_000 - 15_000 + 1]]);
  });

  it('does nothing without a policy', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(windows).emit('onWindowClose'));
    await rig.input.pipeInput('k', 1, 1_000);
    await rig.driver.advanceWallClockTime(3_600_000);
    expect(rig.results()).toEqual([]);
  });
});

describe('suppress(untilWindowCloses)', () => {
  it('turns on-update results into one final result per window', async () => {
    const rig = await windowRig(
      (b) => source(b).windowedBy(windows),
      (table) => table.suppress(Suppressed.untilWindowCloses()),
    );
    await rig.input.pipeInput('a', 1, 1_000);
    await rig.input.pipeInput('a', 2, 3_000);
    await rig.input.pipeInput('b', 5, 12_000);
    await rig.input.pipeInput('a', 4, 14_999); // stream time 14 999: [0,10s) still open
    expect(rig.results()).toEqual([]);
    await rig.input.pipeInput('b', 1, 15_000); // [0,10s) closes
    expect(rig.results().map((r) => [r.key, r.start, r.value])).toEqual([['a', 0, 3]]);
    await rig.input.pipeInput('b', 1, 25_000); // [10s,20s) closes
    expect(
      rig
        .results()
        .map((r) => [r.key, r.start, r.value])
        .sort(),
    ).toEqual([
      ['a', 10_000, 4],
      ['b', 10_000, 6],
    ]);
  });

  it('refuses a table that is not windowed', async () => {
    const { StreamsBuilder } = await import('../../../runtime/dsl/streams-builder.ts');
    const b = new StreamsBuilder();
    const table = b.table('t');
    expect(() => table.suppress(Suppressed.untilWindowCloses())).toThrow(
      'suppress(untilWindowCloses) needs a windowed table (the result of a windowed aggregation)',
    );
  });
});
