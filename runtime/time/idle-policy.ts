import { toMillis, type Duration } from '../windows/duration.ts';

/**
 * What a windowed operator does when its input goes quiet. Stream time only moves with
 * records, so without new records no window would ever close. With an idle policy, once
 * `timeout` of wall-clock time (the injected Clock) has passed without a record, stream
 * time is taken to advance with the wall clock from the last record on:
 * `stream time = last stream time + (now − wall time of the last record)`, checked every
 * `checkInterval`. Windows then close and emit as if records kept coming. A record that
 * arrives later still counts by its own event time (it may then be late).
 */
export interface IdlePolicy {
  /** Wall-clock time without records after which the input counts as idle. */
  timeout: Duration;
  /** How often to check; default 1 s. */
  checkInterval?: Duration;
}

export interface ResolvedIdlePolicy {
  readonly timeoutMs: number;
  readonly checkIntervalMs: number;
}

export function resolveIdlePolicy(policy: IdlePolicy | undefined): ResolvedIdlePolicy | undefined {
  if (policy === undefined) return undefined;
  return {
    timeoutMs: toMillis(policy.timeout, 'idle timeout'),
    checkIntervalMs: Math.max(1, toMillis(policy.checkInterval ?? 1000, 'idle checkInterval')),
  };
}
