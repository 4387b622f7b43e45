import type { RatesTable } from '../money/currency.ts';
import { Deduplicator } from './dedup.ts';
import { validateEvent, type InputEvent } from './input-event.ts';
import { StreamTimeTracker } from './lateness.ts';

/**
 * Bronze → silver admission, in this order: malformed (to the DLQ), late (more than 48 h
 * behind stream time), duplicate (same event id kept within 48 h), else accepted. Every
 * bronze record lands in exactly one bucket, so bronze = silver + duplicates + DLQ + late.
 */
export type Admission = 'accepted' | 'malformed' | 'late' | 'duplicate';

export interface GateCounts {
  input: number;
  accepted: number;
  malformed: number;
  late: number;
  duplicates: number;
}

export class SilverGate {
  private readonly clock = new StreamTimeTracker();
  private readonly dedup = new Deduplicator();
  readonly counts: GateCounts = { input: 0, accepted: 0, malformed: 0, late: 0, duplicates: 0 };

  constructor(private readonly rates: RatesTable) {}

  admit(raw: unknown): { admission: Admission; event?: InputEvent; reason?: string } {
    this.counts.input++;
    const v = validateEvent(raw, this.rates);
    if (!v.ok) {
      this.counts.malformed++;
      return { admission: 'malformed', reason: v.reason };
    }
    if (!this.clock.observe(v.event.time)) {
      this.counts.late++;
      return { admission: 'late', event: v.event };
    }
    if (!this.dedup.accept(v.event.eventId, v.event.time)) {
      this.counts.duplicates++;
      return { admission: 'duplicate', event: v.event };
    }
    this.counts.accepted++;
    return { admission: 'accepted', event: v.event };
  }
}
