import { describe, expect, it } from 'vitest';
import { CountWindows } from '../../../runtime/windows/count-windows.ts';
import { source, windowRig } from './windows-support.ts';

describe('count windows', () => {
  it('emits one result per key every 3 records, whatever their event times', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(CountWindows.of(3)) as never);
    for (const [k, v, ts] of [
      ['a', 1, 500],
      ['a', 2, 100],
      ['b', 10, 0],
      ['a', 4, 900_000],
      ['a', 8, 0],
      ['b', 20, 5],
      ['b', 30, 1],
      ['a', 16, 2],
    ] as const) {
      await rig.input.pipeInput(k, v, ts);
    }
    expect(rig.results().map((r) => [r.key, r.start, r.end, r.value])).toEqual([
      ['a', 0, 3, 7],
      ['b', 0, 3, 60],
    ]);
    expect(rig.lateRecords()).toEqual([]);
  });

  it('emits partial results on update', async () => {
    const rig = await windowRig((b) => source(b).windowedBy(CountWindows.of(2)).emit('onUpdate') as never);
    for (const v of [1, 2, 4]) await rig.input.pipeInput('a', v, 0);
    expect(rig.results().map((r) => [r.start, r.value])).toEqual([
      [0, 1],
      [0, 3],
      [2, 4],
    ]);
  });

  it('rejects a size below 1', () => {
    expect(() => CountWindows.of(0)).toThrow('CountWindows size must be a positive integer, got 0');
  });
});
