import { describe, expect, it } from 'vitest';
import { SlidingWindows } from '../../../runtime/windows/sliding-windows.ts';
import { source, windowRig } from './windows-support.ts';

const d = 1_000;
const grace = 500;
const sliding = SlidingWindows.ofTimeDifference({ timeDifference: d, grace });

describe('sliding windows', () => {
  it('has one window [t − d, t] per event time, and a record updates later windows containing it', async () => {
    const rig = await windowRig((b) =>
      source(b).windowedBy(SlidingWindows.ofTimeDifference({ timeDifference: d, grace: 5_000 })),
    );
    await rig.input.pipeInput('a', 1, 1_000);
    await rig.input.pipeInput('a', 2, 2_000); // exactly d later: 1 is still in [1000, 2000]
    await rig.input.pipeInput('a', 4, 2_001); // 1 falls out of [1001, 2001]
    expect(rig.results().map((r) => [r.start, r.end, r.value])).toEqual([
      [0, 1_001, 1],
      [1_000, 2_001, 3],
      [1_001, 2_002, 6],
    ]);
    await rig.input.pipeInput('a', 8, 1_500); // out of order: own window + the two later ones
    expect(rig.results().map((r) => [r.start, r.end, r.value])).toEqual([
      [500, 1_501, 9],
      [1_000, 2_001, 11],
      [1_001, 2_002, 14],
    ]);
  });

  it('accepts a record until its own window closes (t + 1 + grace), then sends it to late events', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(sliding));
    await rig.input.pipeInput('x', 0, 10_000);
    await rig.input.pipeInput('a', 1, 10_000 - grace); // own window closes at 10 001: still open
    await rig.input.pipeInput('a', 2, 10_000 - grace - 1); // closes exactly now: late
    expect(
      rig
        .results()
        .filter((r) => r.key === 'a')
        .map((r) => r.value),
    ).toEqual([1]);
    expect(rig.lateRecords().map((r) => [r.value, r.missedBy])).toEqual([[2, 1]]);
  });

  it('emits final results on window close', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(sliding).emit('onWindowClose'));
    await rig.input.pipeInput('a', 1, 1_000);
    await rig.input.pipeInput('a', 2, 1_200);
    await rig.input.pipeInput('x', 0, 1_200 + 1 + grace);
    expect(
      rig
        .results()
        .filter((r) => r.key === 'a')
        .map((r) => [r.start, r.end, r.value]),
    ).toEqual([
      [0, 1_001, 1],
      [200, 1_201, 3],
    ]);
  });
});
