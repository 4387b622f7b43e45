import type { Cancellable, PunctuationType } from '../../processor/processor.ts';

export interface PunctuationSchedule extends Cancellable {
  readonly type: PunctuationType;
  readonly intervalMs: number;
  /** Time at which it fires next (stream time or wall-clock time). */
  next: number;
  readonly owner: unknown;
  readonly punctuator: (timestamp: number) => void | Promise<void>;
  cancelled: boolean;
}

/**
 * The punctuators of one task, per time type. A schedule fires when time reaches
 * `next`, with the current time as argument, and then moves to the next multiple of
 * its interval after the current time: missed intervals are skipped, not replayed, as
 * in Kafka Streams. STREAM_TIME schedules start at 0, so they fire on the first
 * record and then at interval boundaries; WALL_CLOCK_TIME ones start one interval after
 * they are scheduled.
 */
export class PunctuationQueue {
  private readonly schedules: PunctuationSchedule[] = [];

  add(type: PunctuationType, intervalMs: number, start: number, owner: unknown, punctuator: PunctuationSchedule['punctuator']): PunctuationSchedule {
    if (!(intervalMs >= 1)) throw new RangeError(`punctuation interval must be at least 1 ms, got ${intervalMs}`);
    const schedule: PunctuationSchedule = {
      type,
      intervalMs,
      next: start,
      owner,
      punctuator,
      cancelled: false,
      cancel: () => {
        schedule.cancelled = true;
      },
    };
    this.schedules.push(schedule);
    return schedule;
  }

  get size(): number {
    return this.schedules.length;
  }

  /** The schedules of `type` due at `now`, earliest first; each one is advanced past `now`. */
  due(type: PunctuationType, now: number): PunctuationSchedule[] {
    let due: PunctuationSchedule[] | undefined;
    for (let i = this.schedules.length - 1; i >= 0; i--) {
      const s = this.schedules[i]!;
      if (s.cancelled) {
        this.schedules.splice(i, 1);
        continue;
      }
      if (s.type === type && s.next <= now) (due ??= []).push(s);
    }
    if (due === undefined) return EMPTY;
    due.sort((a, b) => a.next - b.next);
    for (const s of due) s.next = now - ((now - s.next) % s.intervalMs) + s.intervalMs;
    return due;
  }
}

const EMPTY: PunctuationSchedule[] = [];
