import type { Headers } from '../processor/record.ts';

/**
 * Headers of records sent to the late-events topic (default `<application.id>-late-events`),
 * and of corrections. A late record keeps its own key, value, timestamp and headers, and
 * gets:
 *
 * - `streamhouse.late.reason`: `window-closed` | `session-closed` | `below-watermark`
 *   (joins) | `history-expired` (versioned tables)
 * - `streamhouse.late.missed-by-ms`: how much more grace would have accepted it
 * - `streamhouse.late.stream-time-ms`, `streamhouse.late.grace-ms`
 * - `streamhouse.late.processor`: the operator that refused it
 */
export const LATE_HEADERS = {
  reason: 'streamhouse.late.reason',
  missedByMs: 'streamhouse.late.missed-by-ms',
  streamTimeMs: 'streamhouse.late.stream-time-ms',
  graceMs: 'streamhouse.late.grace-ms',
  processor: 'streamhouse.late.processor',
} as const;

/** Header marking an updated result of a window that was already emitted. */
export const CORRECTION_HEADER = 'streamhouse.correction';

export type LateReason = 'window-closed' | 'session-closed' | 'below-watermark' | 'history-expired';

export const LATE_EVENTS_TOPIC_SUFFIX = 'late-events';

export function defaultLateEventsTopic(applicationId: string): string {
  return `${applicationId}-${LATE_EVENTS_TOPIC_SUFFIX}`;
}

export function lateHeaders(base: Headers, reason: LateReason, missedByMs: number, streamTimeMs: number, graceMs: number, processor: string): Headers {
  return {
    ...base,
    [LATE_HEADERS.reason]: reason,
    [LATE_HEADERS.missedByMs]: String(missedByMs),
    [LATE_HEADERS.streamTimeMs]: String(streamTimeMs),
    [LATE_HEADERS.graceMs]: String(graceMs),
    [LATE_HEADERS.processor]: processor,
  };
}

export function correctionHeaders(base: Headers): Headers {
  return { ...base, [CORRECTION_HEADER]: 'true' };
}
