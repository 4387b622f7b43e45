import { toMillis, type Duration } from './duration.ts';
import { DEFAULT_GRACE_MS } from './window.ts';

export interface SlidingOptions {
  /** Maximum time difference between two records of one window. */
  timeDifference: Duration;
  /** Allowed lateness; default 48 hours. */
  grace?: Duration;
}

/**
 * Windows that slide with the records (record-aligned, not epoch-aligned): for every
 * distinct event time `t` of a key there is one window covering `[t − timeDifference, t]`
 * (both ends inclusive; as a Window: start = t − timeDifference, end = t + 1). Its
 * aggregate covers every record of the key in that range, i.e. "the last
 * `timeDifference` ms up to and including this event". A record updates its own window
 * and every later window of the key that contains it.
 *
 * Grace: the window ending at `t` closes when stream time reaches `t + 1 + grace`; a
 * record whose own window is closed goes to the late-events topic.
 */
export class SlidingWindows {
  readonly kind = 'sliding';

  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {}

  static ofTimeDifference(options: SlidingOptions): SlidingWindows {
    return new SlidingWindows(
      toMillis(options.timeDifference, 'SlidingWindows timeDifference'),
      options.grace === undefined ? DEFAULT_GRACE_MS : toMillis(options.grace, 'SlidingWindows grace'),
    );
  }
}
