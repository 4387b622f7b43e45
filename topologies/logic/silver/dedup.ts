/**
 * Deduplication by event id within 48 hours (event time).
 *
 * An event is a repeat when an event with the same id was already kept and their event
 * times are at most `windowMs` apart (inclusive). A repeat is dropped and counted; it does
 * not refresh the kept time. `expire` forgets ids that can no longer match an on-time event:
 * with lateness bounded by the same 48 hours, an on-time event is at most 48 h older than
 * stream time, so entries older than stream time − 2 × window are safe to drop.
 */
export const DEDUP_WINDOW_MS = 48 * 3_600_000;

export function isRepeat(keptTime: number | undefined, eventTime: number, windowMs = DEDUP_WINDOW_MS): boolean {
  return keptTime !== undefined && Math.abs(eventTime - keptTime) <= windowMs;
}

export class Deduplicator {
  private readonly kept = new Map<string, number>();
  duplicates = 0;

  constructor(private readonly windowMs = DEDUP_WINDOW_MS) {}

  /** True when the event is kept, false when it is a repeat. */
  accept(eventId: string, eventTime: number): boolean {
    if (isRepeat(this.kept.get(eventId), eventTime, this.windowMs)) {
      this.duplicates++;
      return false;
    }
    this.kept.set(eventId, eventTime);
    return true;
  }

  expire(streamTime: number): void {
    for (const [id, time] of this.kept) if (time < streamTime - 2 * this.windowMs) this.kept.delete(id);
  }

  get size(): number {
    return this.kept.size;
  }
}
