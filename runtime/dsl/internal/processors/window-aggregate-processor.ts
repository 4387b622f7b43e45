import type { StreamRecord } from '../../../processor/record.ts';
import type { WindowFlushListener } from '../../../state/cached-forwarding.ts';
import type { WindowStore } from '../../../state/window-store.ts';
import { DueIndex } from '../../../windows/internal/due-index.ts';
import type { TimeWindows } from '../../../windows/time-windows.ts';
import { NO_HEADERS, WindowedOperator, type WindowedOperatorSpec } from './windowed-operator.ts';

interface CachedWindows<K, V> {
  setFlushListener(listener: WindowFlushListener<K, V> | undefined): boolean;
}

/**
 * Tumbling and hopping window aggregation over a window store (one entry per key and
 * window start).
 *
 * Per record: when it moves stream time forward, windows that became due are emitted
 * first (on time: end <= stream time; on close: end + grace <= stream time), read from
 * the store before the record's own writes. Then, for each window containing the record:
 * a closed window (end + grace <= stream time) is skipped; an open one is updated and,
 * depending on the emit mode, emitted now (on update; or as a correction when its end
 * has passed) or remembered in the due index for later. A record that missed at least
 * one of its windows goes to the late-events topic once, with the smallest amount it
 * missed by (it still counts in its open windows when hopping).
 *
 * On update with a cached store (the default), results are forwarded as the cache writes
 * them down: once per window per commit, with the value forwarded before as old value
 * (marked as a correction when stream time has passed the window end by then).
 */
export class WindowAggregateProcessor<K, V, VA> extends WindowedOperator<K, V, VA> {
  private store!: WindowStore<K, VA>;
  private readonly due = new DueIndex<K>();
  private cached = false;

  constructor(
    spec: WindowedOperatorSpec,
    private readonly windows: TimeWindows,
    private readonly initializer: (() => VA) | undefined,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
    private readonly firstValue: ((value: V) => VA) | undefined,
  ) {
    super(spec);
  }

  protected async restoreIndex(): Promise<void> {
    this.store = this.context.getStateStore(this.spec.storeName);
    if (this.spec.emit === 'onUpdate') {
      // With a cache, each window's update is forwarded once per commit (or eviction).
      const size = this.windows.sizeMs;
      this.cached =
        (this.store as Partial<CachedWindows<K, VA>>).setFlushListener?.((key, start, newValue, oldValue, timestamp) =>
          this.emitResult(key, { start, end: start + size }, { newValue, oldValue }, timestamp, NO_HEADERS, start + size <= this.tracker.streamTime),
        ) ?? false;
      return;
    }
    const st = this.tracker.streamTime;
    for await (const w of this.store.all()) {
      if (this.dueTime(w.windowStart) > st) this.due.add(w.windowStart, w.key);
    }
  }

  /** Stream time at which a window is emitted (on time: its end; on close: end + grace). */
  private dueTime(start: number): number {
    const end = start + this.windows.sizeMs;
    return this.spec.emit === 'onWindowClose' ? end + this.windows.graceMs : end;
  }

  protected onStreamTimeAdvanced(): void {
    if (this.spec.emit === 'onUpdate') return;
    const offset = this.dueTime(0);
    for (const { time: start, key } of this.due.popDue(this.tracker.streamTime - offset)) {
      const value = this.store.fetch(key, start);
      if (value === undefined) continue;
      const end = start + this.windows.sizeMs;
      this.emitResult(key, { start, end }, { newValue: value, oldValue: null }, end - 1, NO_HEADERS, false);
    }
  }

  close(): void {
    if (this.cached) (this.store as Partial<CachedWindows<K, VA>>).setFlushListener?.(undefined);
  }

  protected apply(record: StreamRecord<K, V>): void {
    const { key, value } = record;
    const st = this.tracker.streamTime;
    const grace = this.windows.graceMs;
    let missedBy = -1;
    for (const start of this.windows.windowStartsFor(record.timestamp)) {
      const end = start + this.windows.sizeMs;
      if (end + grace <= st) {
        const by = st - (end + grace) + 1;
        missedBy = missedBy < 0 ? by : Math.min(missedBy, by);
        continue;
      }
      const old = this.store.fetch(key, start);
      const next =
        old === undefined && this.firstValue !== undefined
          ? this.firstValue(value)
          : this.aggregator(key, value, old ?? this.initializer!());
      this.store.put(key, next, start);
      const ended = end <= st;
      if ((this.spec.emit === 'onUpdate' && !this.cached) || (this.spec.emit === 'onTimeWithCorrections' && ended)) {
        this.emitResult(
          key,
          { start, end },
          { newValue: next, oldValue: old ?? null },
          record.timestamp,
          record.headers,
          ended,
        );
      } else if (this.spec.emit !== 'onUpdate' && (!ended || this.spec.emit === 'onWindowClose')) this.due.add(start, key);
    }
    if (missedBy >= 0) this.sendLate(record, 'window-closed', missedBy);
  }
}
