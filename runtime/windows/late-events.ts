import type { Headers, StreamRecord } from '../processor/record.ts';

/**
 * Headers of records sent to the late-events topic (default `<application.id>-late-events`),
 * and of corrections. A late record keeps its own key, value and headers; its timestamp
 * is the wall-clock time (injected Clock) at which it was refused, so the topic's time
 * retention counts from then and not from an event time that may be long past. It gets:
 *
 * - `streamhouse.late.reason`: `window-closed` | `session-closed` | `below-watermark`
 *   (joins) | `history-expired` (versioned tables)
 * - `streamhouse.late.missed-by-ms`: how much more grace would have accepted it
 * - `streamhouse.late.stream-time-ms`, `streamhouse.late.grace-ms`
 * - `streamhouse.late.processor`: the operator that refused it
 * - `streamhouse.late.event-time-ms`: the record's own event time
 */
export const LATE_HEADERS = {
  reason: 'streamhouse.late.reason',
  missedByMs: 'streamhouse.late.missed-by-ms',
  streamTimeMs: 'streamhouse.late.stream-time-ms',
  graceMs: 'streamhouse.late.grace-ms',
  processor: 'streamhouse.late.processor',
  eventTimeMs: 'streamhouse.late.event-time-ms',
} as const;

/** Header marking an updated result of a window that was already emitted. */
export const CORRECTION_HEADER = 'streamhouse.correction';

export type LateReason = 'window-closed' | 'session-closed' | 'below-watermark' | 'history-expired';

export const LATE_EVENTS_TOPIC_SUFFIX = 'late-events';

/** 30 days: the default retention of the late-events topic. */
export const LATE_EVENTS_RETENTION_MS = 30 * 86_400_000;

/**
 * Configs the application creates its default late-events topic with. It is an output
 * topic (a side output for people and other applications to inspect or replay), not a
 * repartition topic: nothing purges it after a commit, and it is not compacted (late
 * records of one key are distinct events). `cleanup.policy=delete` with a retention of 30
 * days, counted from each record's timestamp, which is the wall-clock time it was refused.
 * A topic named by `lateEventsTo(topic)` is the user's: it must exist, with their configs.
 */
export const LATE_EVENTS_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': String(LATE_EVENTS_RETENTION_MS),
};

export function defaultLateEventsTopic(applicationId: string): string {
  return `${applicationId}-${LATE_EVENTS_TOPIC_SUFFIX}`;
}

export interface Lateness {
  readonly reason: LateReason;
  /** How much more grace (or history retention) would have accepted the record. */
  readonly missedByMs: number;
  readonly streamTimeMs: number;
  readonly graceMs: number;
  /** Name of the refusing processor node. */
  readonly processor: string;
}

/** The record to write to the late-events topic for `record` (see LATE_HEADERS). */
export function lateRecord<K, V>(record: StreamRecord<K, V>, late: Lateness, wallClockMs: number): StreamRecord<K, V> {
  const headers: Headers = {
    ...record.headers,
    [LATE_HEADERS.reason]: late.reason,
    [LATE_HEADERS.missedByMs]: String(late.missedByMs),
    [LATE_HEADERS.streamTimeMs]: String(late.streamTimeMs),
    [LATE_HEADERS.graceMs]: String(late.graceMs),
    [LATE_HEADERS.processor]: late.processor,
    [LATE_HEADERS.eventTimeMs]: String(record.timestamp),
  };
  return { key: record.key, value: record.value, timestamp: wallClockMs, headers };
}

export function correctionHeaders(base: Headers): Headers {
  return { ...base, [CORRECTION_HEADER]: 'true' };
}
