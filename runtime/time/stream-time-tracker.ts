import type { KeyValueStore } from '../state/state-store.ts';
import type { ResolvedIdlePolicy } from './idle-policy.ts';

const KEY = 'stream-time';

/**
 * The event-time view of one windowed operator in one task: its stream time (the
 * highest event time it has seen) and its watermark, `stream time − grace`. Stream time
 * is saved in a small key-value store (changelogged), so after a restart or a move to
 * another instance lateness is judged exactly as before.
 *
 * With an idle policy, `idleAdvance(now)` moves stream time with the wall clock once
 * the input has been quiet for the policy's timeout (see IdlePolicy).
 */
export class StreamTimeTracker {
  private time = -1;
  private lastRecordWall = -1;
  private timeAtLastRecord = -1;

  constructor(
    readonly graceMs: number,
    private readonly store: KeyValueStore<string, number> | undefined,
    private readonly idle: ResolvedIdlePolicy | undefined,
  ) {}

  /** Reads the saved stream time (call at init, after restoration). */
  load(): void {
    const saved = this.store?.get(KEY);
    if (saved !== undefined && saved > this.time) this.time = saved;
  }

  get streamTime(): number {
    return this.time;
  }

  get watermark(): number {
    return this.time - this.graceMs;
  }

  /** Takes a record's event time; true when stream time advanced. */
  observe(timestamp: number, wallNow: number): boolean {
    this.lastRecordWall = wallNow;
    if (timestamp <= this.time) {
      this.timeAtLastRecord = this.time;
      return false;
    }
    this.set(timestamp);
    this.timeAtLastRecord = timestamp;
    return true;
  }

  /** Applies the idle policy; true when stream time advanced. */
  idleAdvance(wallNow: number): boolean {
    if (this.idle === undefined || this.lastRecordWall < 0) return false;
    const quiet = wallNow - this.lastRecordWall;
    if (quiet < this.idle.timeoutMs) return false;
    const next = this.timeAtLastRecord + quiet;
    if (next <= this.time) return false;
    this.set(next);
    return true;
  }

  private set(time: number): void {
    this.time = time;
    this.store?.put(KEY, time);
  }
}
