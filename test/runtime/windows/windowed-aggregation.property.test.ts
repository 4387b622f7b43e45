import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EmitMode } from '../../../runtime/windows/emit-mode.ts';
import { TimeWindows } from '../../../runtime/windows/time-windows.ts';
import { source, windowRig } from './windows-support.ts';

/*
 * Property: for any events, delivered in an order shuffled by up to `jitter` (beyond
 * the grace for some), the final result of every window equals a plain batch sum over
 * the events that were not late, and the late-events topic holds exactly the late ones.
 * "Late" is computed here independently: an event is late when some earlier-delivered
 * event had a time >= the end of the event's window + grace.
 */
const SIZE = 1_000;
const GRACE = 2_000;

interface Event {
  key: string;
  ts: number;
  value: number;
  delay: number;
}

const events = fc.array(
  fc.record({
    key: fc.constantFrom('a', 'b', 'c'),
    ts: fc.integer({ min: 0, max: 20_000 }),
    value: fc.integer({ min: 1, max: 100 }),
    delay: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: GRACE }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 * GRACE }) },
    ),
  }),
  { maxLength: 60 },
);

function expected(arrival: Event[]): { sums: Map<string, number>; late: string[] } {
  let max = -1;
  const sums = new Map<string, number>();
  const late: string[] = [];
  for (const e of arrival) {
    const start = e.ts - (e.ts % SIZE);
    if (max >= start + SIZE + GRACE) late.push(`${e.key}@${e.ts}=${e.value}`);
    else sums.set(`${e.key}@${start}`, (sums.get(`${e.key}@${start}`) ?? 0) + e.value);
    max = Math.max(max, e.ts);
  }
  return { sums, late };
}

async function run(
  mode: EmitMode,
  arrival: Event[],
): Promise<{ finals: Map<string, number>; late: string[]; perWindow: Map<string, number> }> {
  const rig = await windowRig((b) =>
    source(b)
      .windowedBy(TimeWindows.tumbling({ size: SIZE, grace: GRACE }))
      .emit(mode),
  );
  for (const e of arrival) await rig.input.pipeInput(e.key, e.value, e.ts);
  await rig.input.pipeInput('flush', 0, 1_000_000); // closes every window
  const finals = new Map<string, number>();
  const perWindow = new Map<string, number>();
  for (const r of rig.results()) {
    if (r.key === 'flush') continue;
    const id = `${r.key}@${r.start}`;
    finals.set(id, r.value!);
    perWindow.set(id, (perWindow.get(id) ?? 0) + 1);
  }
  const late = rig.lateRecords().map((r) => `${r.key}@${r.ts}=${r.value}`);
  await rig.driver.close();
  return { finals, late, perWindow };
}

const arrivalOrder = (es: Event[]): Event[] => [...es].sort((x, y) => x.ts + x.delay - (y.ts + y.delay));

describe('windowed aggregation equals a batch computation (property)', () => {
  for (const mode of ['onUpdate', 'onWindowClose', 'onTimeWithCorrections'] as const) {
    it(`final results per window, emit ${mode}`, async () => {
      await fc.assert(
        fc.asyncProperty(events, async (es) => {
          const arrival = arrivalOrder(es);
          const want = expected(arrival);
          const got = await run(mode, arrival);
          expect(got.finals).toEqual(want.sums);
          expect(got.late.sort()).toEqual(want.late.sort());
          if (mode === 'onWindowClose') for (const n of got.perWindow.values()) expect(n).toBe(1);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('nothing is late when events are shuffled within the grace', async () => {
    await fc.assert(
      fc.asyncProperty(events, async (es) => {
        const arrival = [...es]
          .map((e) => ({ ...e, delay: Math.min(e.delay, GRACE) }))
          .sort((x, y) => x.ts + x.delay - (y.ts + y.delay));
        const got = await run('onUpdate', arrival);
        expect(got.late).toEqual([]);
        const batch = new Map<string, number>();
        for (const e of es)
          batch.set(`${e.key}@${e.ts - (e.ts % SIZE)}`, (batch.get(`${e.key}@${e.ts - (e.ts % SIZE)}`) ?? 0) + e.value);
        expect(got.finals).toEqual(batch);
      }),
      { numRuns: 30 },
    );
  });
});
