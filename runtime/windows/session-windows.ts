import { ConfigError } from '../errors/runtime-errors.ts';
import { toMillis, type Duration } from './duration.ts';
import { DEFAULT_GRACE_MS } from './window.ts';

export interface SessionOptions {
  /** Records of one key closer than this belong to one session. */
  inactivityGap: Duration;
  /** Allowed lateness; default 48 hours. */
  grace?: Duration;
}

/**
 * Sessions: per key, records separated by less than or exactly `inactivityGap` form one
 * session `[first, last]` (as a Window: start = first, end = last + 1). A record that falls
 * between two sessions within the gap of both merges them into one; the merged-away
 * sessions are retracted (a null result for their window key) when emitting on update.
 *
 * Grace: a session can still grow until stream time reaches `last + gap`; it is closed
 * (final) when stream time reaches `last + gap + grace`. A record is late when the
 * session it would start, `[t, t]`, would already be closed: `t + gap + grace <= stream
 * time`. Late records go to the late-events topic.
 */
export class SessionWindows {
  readonly kind = 'session';

  private constructor(
    readonly gapMs: number,
    readonly graceMs: number,
  ) {}

  static withInactivityGap(options: SessionOptions): SessionWindows {
    const gap = toMillis(options.inactivityGap, 'SessionWindows inactivityGap');
    if (gap === 0) throw new ConfigError('SessionWindows inactivityGap must be positive');
    return new SessionWindows(
      gap,
      options.grace === undefined ? DEFAULT_GRACE_MS : toMillis(options.grace, 'SessionWindows grace'),
    );
  }
}
