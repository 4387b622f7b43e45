import type { StreamRecord } from '../../../processor/record.ts';
import type { WindowStore } from '../../../state/window-store.ts';
import { DueIndex } from '../../../windows/internal/due-index.ts';
import type { SlidingWindows } from '../../../windows/sliding-windows.ts';
import { NO_HEADERS, WindowedOperator, type WindowedOperatorSpec } from './windowed-operator.ts';

/**
 * Sliding windows (see SlidingWindows): one window `[t − d, t]` per distinct event time t
 * of a key. The records themselves are kept in a duplicate-retaining window store
 * (`<store>-records`, one entry per record at its timestamp) and each affected window's
 * aggregate is recomputed from them, in timestamp order, into the aggregate store,
 * where a window is filed under its last instant t (window starts may be negative). A record at t affects its own window and every
 * window of the key ending in (t, t + d]. Emission follows the emit mode as for time
 * windows; a record whose own window is closed goes to the late-events topic.
 */
export class SlidingWindowAggregateProcessor<K, V, VA> extends WindowedOperator<K, V, VA> {
  private store!: WindowStore<K, VA>;
  private records!: WindowStore<K, V>;
  private readonly due = new DueIndex<K>();
  private readonly size: number;

  constructor(
    spec: WindowedOperatorSpec,
    private readonly windows: SlidingWindows,
    private readonly initializer: (() => VA) | undefined,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
    private readonly firstValue: ((value: V) => VA) | undefined,
  ) {
    super(spec);
    this.size = windows.timeDifferenceMs + 1;
  }

  /** Stream time at which the window ending at `last` (inclusive) is emitted. */
  private dueTime(last: number): number {
    return last + 1 + (this.spec.emit === 'onWindowClose' ? this.windows.graceMs : 0);
  }

  protected async restoreIndex(): Promise<void> {
    this.store = this.context.getStateStore(this.spec.storeName);
    this.records = this.context.getStateStore(`${this.spec.storeName}-records`);
    if (this.spec.emit === 'onUpdate') return;
    for await (const w of this.store.all())
      if (this.dueTime(w.windowStart) > this.tracker.streamTime) this.due.add(w.windowStart, w.key);
  }

  protected onStreamTimeAdvanced(): void {
    if (this.spec.emit === 'onUpdate') return;
    for (const { time: last, key } of this.due.popDue(this.tracker.streamTime - this.dueTime(0))) {
      const value = this.store.fetch(key, last);
      if (value !== undefined)
        this.emitResult(
          key,
          { start: last + 1 - this.size, end: last + 1 },
          { newValue: value, oldValue: null },
          last,
          NO_HEADERS,
          false,
        );
    }
  }

  protected async apply(record: StreamRecord<K, V>): Promise<void> {
    const { key, value, timestamp: t } = record;
    const st = this.tracker.streamTime;
    const d = this.windows.timeDifferenceMs;
    const ownClose = t + 1 + this.windows.graceMs;
    if (ownClose <= st) {
      this.sendLate(record, 'window-closed', st - ownClose + 1);
      return;
    }
    this.records.put(key, value, t);
    const nearby: { ts: number; value: V }[] = [];
    for await (const r of this.records.fetchRange(key, Math.max(0, t - d), t + d))
      nearby.push({ ts: r.windowStart, value: r.value });
    const ends = new Set<number>([t]);
    for (const r of nearby) if (r.ts > t) ends.add(r.ts);
    for (const end of [...ends].sort((a, b) => a - b)) {
      const start = end - d;
      let agg: VA | undefined;
      for (const r of nearby) {
        if (r.ts < start || r.ts > end) continue;
        agg =
          agg === undefined && this.firstValue !== undefined
            ? this.firstValue(r.value)
            : this.aggregator(key, r.value, agg ?? this.initializer!());
      }
      const old = this.store.fetch(key, end);
      this.store.put(key, agg!, end);
      const ended = end + 1 <= st;
      if (this.spec.emit === 'onUpdate' || (this.spec.emit === 'onTimeWithCorrections' && ended)) {
        this.emitResult(
          key,
          { start, end: end + 1 },
          { newValue: agg!, oldValue: old ?? null },
          end,
          record.headers,
          ended,
        );
      } else if (!ended || this.spec.emit === 'onWindowClose') this.due.add(end, key);
    }
  }
}
