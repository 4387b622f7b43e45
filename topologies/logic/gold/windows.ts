/**
 * Tumbling event-time windows aligned to the epoch (UTC): an event at time t belongs to
 * the window [t − t mod size, … + size). The gold sales windows are 1 minute, 1 hour and
 * 1 day; channel performance uses 1 day.
 */
export const WINDOW_SIZES = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type WindowName = keyof typeof WINDOW_SIZES;

export function windowStart(time: number, sizeMs: number): number {
  return time - (((time % sizeMs) + sizeMs) % sizeMs);
}
