import { readEvent, type OracleEvent, type OracleRates } from './oracle-input.ts';

/**
 * Which input events count, recomputed from the documented rules, in input (arrival) order:
 * 1. malformed events are dropped;
 * 2. an event whose time is more than 48 h before the greatest time of the events that got
 *    past this step before it is late, and dropped;
 * 3. an event is a duplicate, and dropped, when an earlier *kept* event has the same id and
 *    a time at most 48 h away;
 * 4. everything else is kept.
 */
const H48 = 48 * 60 * 60 * 1000;

export interface Admitted {
  readonly kept: OracleEvent[];
  readonly counts: { input: number; accepted: number; malformed: number; late: number; duplicates: number };
}

export function admit(input: readonly unknown[], rates: OracleRates): Admitted {
  const kept: OracleEvent[] = [];
  const keptTimes = new Map<string, number[]>();
  const counts = { input: input.length, accepted: 0, malformed: 0, late: 0, duplicates: 0 };
  let maxTime: number | null = null;
  for (const raw of input) {
    const e = readEvent(raw, rates);
    if (e === null) {
      counts.malformed += 1;
      continue;
    }
    if (maxTime !== null && maxTime - e.t > H48) {
      counts.late += 1;
      continue;
    }
    maxTime = maxTime === null ? e.t : Math.max(maxTime, e.t);
    const times = keptTimes.get(e.id) ?? [];
    if (times.some((t) => Math.abs(t - e.t) <= H48)) {
      counts.duplicates += 1;
      continue;
    }
    keptTimes.set(e.id, [...times, e.t]);
    kept.push(e);
    counts.accepted += 1;
  }
  return { kept, counts };
}
