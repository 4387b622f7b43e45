import type { Prng } from './prng.ts';
import type { SimRecord } from './session.ts';

/** How much dirt to put in the stream, so downstream data-quality checks have work. */
export interface FaultOptions {
  /** Every record's event time moves back by up to this much: out-of-order within it. */
  jitterMs: number;
  /** Share of records that arrive late: event time 10 minutes to 47 hours in the past. */
  lateFraction: number;
  /** Share of the late records that are later than 48 hours (49 to 96 hours). */
  beyondLatenessShare: number;
  /** Share of records sent twice (same event id, same content), 1 to 50 records apart. */
  duplicateFraction: number;
  /** Share of records replaced by a malformed payload. */
  malformedFraction: number;
}

export const NO_FAULTS: FaultOptions = { jitterMs: 0, lateFraction: 0, beyondLatenessShare: 0, duplicateFraction: 0, malformedFraction: 0 };

export type MalformedKind = 'truncated' | 'garbage' | 'missing-field' | 'bad-value';
const MALFORMED_KINDS: readonly MalformedKind[] = ['truncated', 'garbage', 'missing-field', 'bad-value'];

/** A record as it is to be sent: possibly shifted in time, a duplicate, or malformed. */
export interface FaultedRecord {
  readonly record: SimRecord;
  /** When the record is sent, in simulated time (the true time of the record that let it out). */
  readonly arrival: number;
  readonly fault: 'none' | 'late' | 'late-beyond-48h' | 'duplicate' | 'malformed';
  readonly malformed?: MalformedKind;
}

const MIN = 60_000;
const HOUR = 3_600_000;

/**
 * Applies the faults to records in true-time order. Draws come from their own PRNG, so the
 * clean records underneath are the same with or without faults. A duplicate is the final
 * (possibly shifted) record again, released a few records later.
 */
export class FaultInjector {
  private readonly pending: { due: number; item: FaultedRecord }[] = [];
  private count = 0;
  /** No fault configured: records pass through without a draw. */
  private readonly clean: boolean;

  constructor(private readonly prng: Prng, private readonly options: FaultOptions) {
    for (const [k, v] of Object.entries(options)) {
      if (!(v >= 0) || (k !== 'jitterMs' && v > 1)) throw new RangeError(`fault option ${k} must be ${k === 'jitterMs' ? '>= 0' : 'in [0, 1]'}, got ${v}`);
    }
    this.clean = Object.values(options).every((v) => v === 0);
  }

  /** Appends to `out` the records to send for `record`: duplicates now due, then itself (perhaps altered). */
  apply(record: SimRecord, out: FaultedRecord[]): void {
    const o = this.options;
    const arrival = record.time;
    if (this.clean || (record.kind !== 'clickstream' && record.kind !== 'sales')) {
      out.push({ record, arrival, fault: 'none' });
      return;
    }
    const n = this.count++;
    while (this.pending.length && (this.pending[0] as { due: number }).due <= n) out.push({ ...this.pending.shift()!.item, arrival });
    const p = this.prng;
    let item: FaultedRecord;
    if (o.malformedFraction > 0 && p.chance(o.malformedFraction)) {
      item = { record, arrival, fault: 'malformed', malformed: p.pick(MALFORMED_KINDS) };
    } else {
      let shift = o.jitterMs > 0 ? Math.round(p.float() * o.jitterMs) : 0;
      let fault: FaultedRecord['fault'] = 'none';
      if (o.lateFraction > 0 && p.chance(o.lateFraction)) {
        const beyond = p.chance(o.beyondLatenessShare);
        shift = beyond ? 49 * HOUR + Math.round(p.float() * 47 * HOUR) : 10 * MIN + Math.round(p.float() * (47 * HOUR - 10 * MIN));
        fault = beyond ? 'late-beyond-48h' : 'late';
      }
      item = { record: shift ? withTime(record, record.time - shift) : record, arrival, fault };
      if (o.duplicateFraction > 0 && p.chance(o.duplicateFraction)) {
        this.pending.push({ due: n + 1 + p.int(50), item: { ...item, fault: 'duplicate' } });
        this.pending.sort((a, b) => a.due - b.due);
      }
    }
    out.push(item);
  }
}

function withTime(r: SimRecord, eventTime: number): SimRecord {
  if (r.kind === 'clickstream') return { ...r, value: { ...r.value, event_time: eventTime } };
  if (r.kind === 'sales') return { ...r, value: { ...r.value, event_time: eventTime } };
  return r;
}
