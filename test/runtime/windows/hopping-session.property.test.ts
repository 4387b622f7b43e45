import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionWindows } from '../../../runtime/windows/session-windows.ts';
import { TimeWindows } from '../../../runtime/windows/time-windows.ts';
import { source, windowRig } from './windows-support.ts';

/*
 * Properties for hopping and session windows, against plain batch computations written
 * here independently of the operators.
 */
const GRACE = 2_000;

interface Event {
  key: string;
  ts: number;
  value: number;
  delay: number;
}

const eventsWithDelays = (maxDelay: number) =>
  fc.array(
    fc.record({
      key: fc.constantFrom('a', 'b'),
      ts: fc.integer({ min: 0, max: 20_000 }),
      value: fc.integer({ min: 1, max: 100 }),
      delay: fc.integer({ min: 0, max: maxDelay }),
    }),
    { maxLength: 50 },
  );

const arrival = (es: Event[]): Event[] => [...es].sort((x, y) => x.ts + x.delay - (y.ts + y.delay));

describe('hopping windows equal a batch computation (property)', () => {
  const SIZE = 3_000;
  const ADVANCE = 1_000;
  it('per window: the sum of the events that arrived while it was open; events that missed a window are in late events', async () => {
    await fc.assert(
      fc.asyncProperty(eventsWithDelays(4 * GRACE), async (es) => {
        const order = arrival(es);
        const sums = new Map<string, number>();
        const late: string[] = [];
        let max = -1;
        for (const e of order) {
          let missed = false;
          for (let start = e.ts - (e.ts % ADVANCE); start > e.ts - SIZE && start >= 0; start -= ADVANCE) {
            if (max >= start + SIZE + GRACE) missed = true;
            else sums.set(`${e.key}@${start}`, (sums.get(`${e.key}@${start}`) ?? 0) + e.value);
          }
          if (missed) late.push(`${e.key}@${e.ts}=${e.value}`);
          max = Math.max(max, e.ts);
        }
        const rig = await windowRig((b) =>
          source(b).windowedBy(TimeWindows.hopping({ size: SIZE, advance: ADVANCE, grace: GRACE })),
        );
        for (const e of order) await rig.input.pipeInput(e.key, e.value, e.ts);
        const finals = new Map<string, number>();
        for (const r of rig.results()) finals.set(`${r.key}@${r.start}`, r.value!);
        expect(finals).toEqual(sums);
        expect(
          rig
            .lateRecords()
            .map((r) => `${r.key}@${r.ts}=${r.value}`)
            .sort(),
        ).toEqual(late.sort());
        await rig.driver.close();
      }),
      { numRuns: 30 },
    );
  });
});

describe('session windows equal a batch sessionization (property)', () => {
  const GAP = 500;
  /** Sessions of sorted events: a new one starts after a silence longer than the gap. */
  function batchSessions(es: Event[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const key of ['a', 'b']) {
      const ts = es.filter((e) => e.key === key).sort((x, y) => x.ts - y.ts);
      let start = -1;
      let last = -1;
      let sum = 0;
      for (const e of ts) {
        if (start >= 0 && e.ts - last > GAP) {
          out.set(`${key}@${start}-${last}`, sum);
          start = -1;
        }
        if (start < 0) {
          start = e.ts;
          sum = 0;
        }
        last = e.ts;
        sum += e.value;
      }
      if (start >= 0) out.set(`${key}@${start}-${last}`, sum);
    }
    return out;
  }

  it('events shuffled within the grace: nothing late, final sessions equal the batch ones', async () => {
    await fc.assert(
      fc.asyncProperty(eventsWithDelays(GRACE - 1), async (es) => {
        const rig = await windowRig((b) => {
          const s = source(b).windowedBy(SessionWindows.withInactivityGap({ inactivityGap: GAP, grace: GRACE }));
          return {
            aggregate: (i: () => number, a: (k: string, v: number, x: number) => number, m: object) =>
              s.aggregate(i, a, (_k, x, y) => x + y, m),
          } as never;
        });
        for (const e of arrival(es)) await rig.input.pipeInput(e.key, e.value, e.ts);
        const table = new Map<string, number>();
        for (const r of rig.results()) {
          const id = `${r.key}@${r.start}-${r.end - 1}`;
          if (r.value === null) table.delete(id);
          else table.set(id, r.value);
        }
        expect(rig.lateRecords()).toEqual([]);
        expect(table).toEqual(batchSessions(es));
        await rig.driver.close();
      }),
      { numRuns: 40 },
    );
  });
});
