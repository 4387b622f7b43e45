import { describe, expect, it } from 'vitest';
import { SessionWindows } from '../../../runtime/windows/session-windows.ts';
import { source, windowRig } from './windows-support.ts';

const gap = 1_000;
const grace = 500;
const sessions = SessionWindows.withInactivityGap({ inactivityGap: gap, grace });
const sum = (b: Parameters<typeof source>[0]) => {
  const s = source(b).windowedBy(sessions);
  return {
    aggregate: (init: () => number, agg: (k: string, v: number, a: number) => number, m: object) =>
      s.aggregate(init, agg, (_k, x, y) => x + y, m),
  };
};

describe('session windows, emit on update', () => {
  it('keeps records exactly one gap apart in one session and splits them at gap + 1', async () => {
    const rig = await windowRig(sum as never);
    await rig.input.pipeInput('a', 1, 0);
    await rig.input.pipeInput('a', 2, gap); // exactly the gap: same session
    await rig.input.pipeInput('a', 4, 2 * gap + 1); // gap + 1 after the last: a new session
    expect(rig.results().map((r) => [r.start, r.end, r.value])).toEqual([
      [0, 1, 1],
      [0, 1, null], // [0,0] merged away
      [0, gap + 1, 3],
      [2 * gap + 1, 2 * gap + 2, 4],
    ]);
  });

  it('merges two sessions when a record falls between them', async () => {
    const rig = await windowRig(sum as never);
    await rig.input.pipeInput('a', 1, 0);
    await rig.input.pipeInput('a', 2, 1_400);
    rig.results();
    await rig.input.pipeInput('a', 4, 700); // within the gap of both
    expect(rig.results().map((r) => [r.start, r.end, r.value])).toEqual([
      [0, 1, null],
      [1_400, 1_401, null],
      [0, 1_401, 7],
    ]);
  });

  it('does not merge into a session that has already closed', async () => {
    const rig = await windowRig(sum as never);
    await rig.input.pipeInput('a', 1, 0);
    await rig.input.pipeInput('a', 2, 1_800); // stream time 1800 >= 0 + gap + grace: [0,0] is closed
    rig.results();
    await rig.input.pipeInput('a', 4, 900); // within the gap of both, but only the open one takes it
    expect(rig.results().map((r) => [r.start, r.end, r.value])).toEqual([
      [1_800, 1_801, null],
      [900, 1_801, 6],
    ]);
  });

  it('accepts a record until its session would close (t + gap + grace), then sends it to late events', async () => {
    const rig = await windowRig(sum as never);
    await rig.input.pipeInput('x', 0, 10_000);
    await rig.input.pipeInput('a', 1, 10_000 - gap - grace + 1); // 1 ms inside
    await rig.input.pipeInput('a', 2, 10_000 - gap - grace); // exactly at the bound: late
    await rig.input.pipeInput('a', 4, 10_000 - gap - grace - 1); // 1 ms past: late by 2
    expect(
      rig
        .results()
        .filter((r) => r.key === 'a')
        .map((r) => r.value),
    ).toEqual([1]);
    expect(rig.lateRecords().map((r) => [r.value, r.reason, r.missedBy])).toEqual([
      [2, 'session-closed', 1],
      [4, 'session-closed', 2],
    ]);
  });

  it('aggregates out-of-order records into the right session', async () => {
    const rig = await windowRig(sum as never);
    for (const [v, ts] of [
      [1, 5_000],
      [2, 4_500],
      [4, 3_600],
      [8, 5_900],
    ])
      await rig.input.pipeInput('k', v!, ts!);
    const last = rig.results().at(-1)!;
    expect([last.start, last.end, last.value]).toEqual([3_600, 5_901, 15]);
  });
});

describe('session windows, emit on window close', () => {
  it('emits each session once, when stream time reaches last + gap + grace', async () => {
    const rig = await windowRig((b) => {
      const s = source(b).windowedBy(sessions).emit('onWindowClose');
      return {
        aggregate: (i: () => number, a: (k: string, v: number, x: number) => number, m: object) =>
          s.aggregate(i, a, (_k, x, y) => x + y, m),
      } as never;
    });
    await rig.input.pipeInput('a', 1, 0);
    await rig.input.pipeInput('a', 2, 500);
    await rig.input.pipeInput('x', 0, 500 + gap + grace - 1);
    expect(rig.results()).toEqual([]);
    await rig.input.pipeInput('x', 0, 500 + gap + grace);
    expect(rig.results().map((r) => [r.key, r.start, r.end, r.value])).toEqual([['a', 0, 501, 3]]);
  });
});

describe('session windows, emit on time with corrections', () => {
  it('emits a session when its gap has passed, then corrections (and the retraction of a merged-away session)', async () => {
    const rig = await windowRig((b) => {
      const s = source(b).windowedBy(sessions).emit('onTimeWithCorrections');
      return {
        aggregate: (i: () => number, a: (k: string, v: number, x: number) => number, m: object) =>
          s.aggregate(i, a, (_k, x, y) => x + y, m),
      } as never;
    });
    await rig.input.pipeInput('a', 1, 0);
    await rig.input.pipeInput('x', 0, gap); // stream time = last + gap: [0,0] is on time
    expect(
      rig
        .results()
        .filter((r) => r.key === 'a')
        .map((r) => [r.start, r.end, r.value, r.correction]),
    ).toEqual([[0, 1, 1, false]]);
    await rig.input.pipeInput('a', 2, 300); // within grace: merged session [0,300] is itself past its gap? 300 + 1000 > 1000: not yet
    expect(
      rig
        .results()
        .filter((r) => r.key === 'a')
        .map((r) => [r.start, r.end, r.value, r.correction]),
    ).toEqual([[0, 1, null, true]]);
    await rig.input.pipeInput('x', 0, 1_300);
    expect(
      rig
        .results()
        .filter((r) => r.key === 'a')
        .map((r) => [r.start, r.end, r.value, r.correction]),
    ).toEqual([[0, 301, 3, false]]);
  });
});
