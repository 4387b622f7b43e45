import { toMillis, type Duration } from '../windows/duration.ts';
import { DEFAULT_GRACE_MS } from '../windows/window.ts';

export interface JoinWindowsOptions {
  /** Symmetric bound: |t(left) − t(right)| <= timeDifference. */
  timeDifference?: Duration;
  /** A right record may be this much earlier than the left one (default timeDifference). */
  before?: Duration;
  /** A right record may be this much later than the left one (default timeDifference). */
  after?: Duration;
  /** Allowed lateness; default 48 hours. */
  grace?: Duration;
}

/**
 * The time bound of a stream-stream join: a left record at t joins the right records of
 * the same key with timestamps in `[t − before, t + after]` (both ends inclusive). The
 * joined record's timestamp is the later of the two.
 *
 * Grace and lateness: the join's watermark is stream time − grace; a record at or below
 * it (t + grace <= stream time) goes to the late-events topic. A left (outer: either)
 * record that found no partner is emitted with a null partner once no partner can come
 * any more: when stream time reaches t + after + grace (right records: t + before + grace).
 */
export class JoinWindows {
  private constructor(
    readonly beforeMs: number,
    readonly afterMs: number,
    readonly graceMs: number,
  ) {}

  static of(options: JoinWindowsOptions): JoinWindows {
    const diff =
      options.timeDifference === undefined ? undefined : toMillis(options.timeDifference, 'JoinWindows timeDifference');
    const before = options.before === undefined ? diff : toMillis(options.before, 'JoinWindows before');
    const after = options.after === undefined ? diff : toMillis(options.after, 'JoinWindows after');
    if (before === undefined || after === undefined)
      throw new TypeError('JoinWindows needs timeDifference, or both before and after');
    return new JoinWindows(
      before,
      after,
      options.grace === undefined ? DEFAULT_GRACE_MS : toMillis(options.grace, 'JoinWindows grace'),
    );
  }

  /** How long each side's records are kept: until no record of the other side can still join them. */
  get retentionMs(): number {
    return Math.max(this.beforeMs, this.afterMs) + this.graceMs + 1;
  }
}
