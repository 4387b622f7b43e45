/**
 * Lateness with 48 hours allowed. Stream time is the largest event time among the
 * events accepted so far (in arrival order). An event is late, and excluded, when its
 * event time is more than `allowedMs` before stream time (exactly 48 h is still on time).
 * Late events do not advance stream time.
 */
export const ALLOWED_LATENESS_MS = 48 * 3_600_000;

export class StreamTimeTracker {
  private time = Number.NEGATIVE_INFINITY;

  constructor(private readonly allowedMs = ALLOWED_LATENESS_MS) {}

  get streamTime(): number {
    return this.time;
  }

  /** True when the event is on time (and then advances stream time), false when late. */
  observe(eventTime: number): boolean {
    if (eventTime < this.time - this.allowedMs) return false;
    if (eventTime > this.time) this.time = eventTime;
    return true;
  }
}
