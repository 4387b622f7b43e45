import { ConfigError } from '../errors/runtime-errors.ts';
import { toMillis, type Duration } from './duration.ts';
import { DEFAULT_GRACE_MS } from './window.ts';

export interface TumblingOptions {
  size: Duration;
  /** Allowed lateness after the window end; default 48 hours. */
  grace?: Duration;
}

export interface HoppingOptions extends TumblingOptions {
  /** Distance between window starts; must be in (0, size]. */
  advance: Duration;
}

/**
 * Fixed-size windows aligned to the epoch (Kafka's TimeWindows). Window starts are the
 * multiples of `advance`; a window covers `[start, start + size)`, so a record exactly
 * at a window's end belongs to the next window. Tumbling windows have advance = size
 * (each record is in one window); hopping windows overlap (each record is in
 * size/advance windows).
 *
 * Grace: a window accepts records until stream time (the highest event time seen by the
 * task) reaches `end + grace`; from then on it is closed, its final result is emitted
 * (emit mode `onWindowClose`) and a record for it goes to the late-events topic. The
 * watermark is `stream time − grace`: a window is closed once its end is at or below it.
 */
export class TimeWindows {
  readonly kind = 'time';

  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {}

  static tumbling(options: TumblingOptions): TimeWindows {
    const size = toMillis(options.size, 'TimeWindows size');
    return TimeWindows.create(size, size, options.grace);
  }

  static hopping(options: HoppingOptions): TimeWindows {
    const size = toMillis(options.size, 'TimeWindows size');
    const advance = toMillis(options.advance, 'TimeWindows advance');
    if (advance === 0 || advance > size)
      throw new ConfigError(`TimeWindows advance must be in (0, size=${size}], got ${advance}`);
    return TimeWindows.create(size, advance, options.grace);
  }

  private static create(size: number, advance: number, grace: Duration | undefined): TimeWindows {
    if (size === 0) throw new ConfigError('TimeWindows size must be positive');
    return new TimeWindows(
      size,
      advance,
      grace === undefined ? DEFAULT_GRACE_MS : toMillis(grace, 'TimeWindows grace'),
    );
  }

  /** Starts of the windows containing `timestamp`, ascending. */
  windowStartsFor(timestamp: number): number[] {
    const last = timestamp - (timestamp % this.advanceMs);
    const starts: number[] = [];
    for (let start = last; start > timestamp - this.sizeMs && start >= 0; start -= this.advanceMs) starts.push(start);
    return starts.reverse();
  }

  /** How long the store keeps a window: size + grace (measured from its start). */
  get retentionMs(): number {
    return this.sizeMs + this.graceMs;
  }
}
