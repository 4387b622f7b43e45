import type { StreamRecord } from '../../../processor/record.ts';
import type { SessionFlushListener } from '../../../state/cached-forwarding.ts';
import type { SessionEntry, SessionStore } from '../../../state/session-store.ts';
import { DueIndex } from '../../../windows/internal/due-index.ts';
import type { SessionWindows } from '../../../windows/session-windows.ts';
import { NO_HEADERS, WindowedOperator, type WindowedOperatorSpec } from './windowed-operator.ts';

interface SessionRef<K> {
  key: K;
  start: number;
  end: number;
}

interface CachedSessions<K, V> {
  setFlushListener(listener: SessionFlushListener<K, V> | undefined): boolean;
}

/**
 * Session window aggregation over a session store. A record at t for key k: if its own
 * session [t, t] would already be closed (t + gap + grace <= stream time) it goes to the
 * late-events topic. Otherwise the open sessions of k within the gap of t
 * (end >= t − gap, start <= t + gap) are merged with it: their aggregates are combined
 * with `merger`, the record is added with `aggregator`, the old sessions are removed
 * (and retracted with a null result where they had been emitted) and the merged session
 * is stored. A session is "on time" once stream time reaches end + gap and closed at
 * end + gap + grace; emission then follows the emit mode as for time windows. On update
 * with a cached store (the default), sessions are forwarded as the cache writes them down.
 */
export class SessionWindowAggregateProcessor<K, V, VA> extends WindowedOperator<K, V, VA> {
  private store!: SessionStore<K, VA>;
  private readonly due = new DueIndex<SessionRef<K>>();
  private cached = false;

  constructor(
    spec: WindowedOperatorSpec,
    private readonly windows: SessionWindows,
    private readonly initializer: () => VA,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
    private readonly merger: (key: K, left: VA, right: VA) => VA,
  ) {
    super(spec);
  }

  /** Stream time at which a session ending at `end` is emitted. */
  private dueTime(end: number): number {
    return end + this.windows.gapMs + (this.spec.emit === 'onWindowClose' ? this.windows.graceMs : 0);
  }

  private closed(end: number): boolean {
    return end + this.windows.gapMs + this.windows.graceMs <= this.tracker.streamTime;
  }

  protected async restoreIndex(): Promise<void> {
    this.store = this.context.getStateStore(this.spec.storeName);
    if (this.spec.emit === 'onUpdate') {
      // With a cache, a session is forwarded once per commit as it is written down; a
      // session merged away is retracted (null) only if it had reached the store.
      const gap = this.windows.gapMs;
      this.cached =
        (this.store as Partial<CachedSessions<K, VA>>).setFlushListener?.((key, start, end, newValue, oldValue, timestamp) =>
          this.emitResult(key, { start, end: end + 1 }, { newValue, oldValue }, timestamp, NO_HEADERS, end + gap <= this.tracker.streamTime),
        ) ?? false;
      return;
    }
    for await (const s of this.store.all()) {
      if (this.dueTime(s.end) > this.tracker.streamTime)
        this.due.add(this.dueTime(s.end), { key: s.key, start: s.start, end: s.end });
    }
  }

  protected onStreamTimeAdvanced(): void {
    if (this.spec.emit === 'onUpdate') return;
    for (const { key: ref } of this.due.popDue(this.tracker.streamTime)) {
      const value = this.store.fetchSession(ref.key, ref.start, ref.end);
      if (value !== undefined)
        this.emitResult(
          ref.key,
          { start: ref.start, end: ref.end + 1 },
          { newValue: value, oldValue: null },
          ref.end,
          NO_HEADERS,
          false,
        );
    }
  }

  close(): void {
    if (this.cached) (this.store as Partial<CachedSessions<K, VA>>).setFlushListener?.(undefined);
  }

  protected async apply(record: StreamRecord<K, V>): Promise<void> {
    const { key, value, timestamp: t } = record;
    const st = this.tracker.streamTime;
    const gap = this.windows.gapMs;
    if (this.closed(t)) {
      this.sendLate(record, 'session-closed', st - (t + gap + this.windows.graceMs) + 1);
      return;
    }
    const merged: SessionEntry<K, VA>[] = [];
    for await (const s of this.store.findSessions(key, t - gap, t + gap)) if (!this.closed(s.end)) merged.push(s);
    let start = t;
    let end = t;
    let agg = this.initializer();
    for (const s of merged) {
      agg = this.merger(key, agg, s.value);
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
    agg = this.aggregator(key, value, agg);
    let old: VA | null = null;
    for (const s of merged) {
      if (s.start === start && s.end === end) {
        old = s.value;
        continue;
      }
      this.store.remove(key, s.start, s.end);
      this.due.remove(this.dueTime(s.end), { key, start: s.start, end: s.end });
      const emitted =
        (this.spec.emit === 'onUpdate' && !this.cached) || (this.spec.emit === 'onTimeWithCorrections' && s.end + gap <= st);
      if (emitted)
        this.emitResult(
          key,
          { start: s.start, end: s.end + 1 },
          { newValue: null, oldValue: s.value },
          record.timestamp,
          record.headers,
          s.end + gap <= st,
        );
    }
    this.store.put(key, start, end, agg);
    const onTime = end + gap <= st;
    if (this.spec.emit === 'onUpdate') {
      if (!this.cached) this.emitResult(key, { start, end: end + 1 }, { newValue: agg, oldValue: old }, record.timestamp, record.headers, onTime);
    } else if (this.spec.emit === 'onTimeWithCorrections' && onTime) {
      this.emitResult(
        key,
        { start, end: end + 1 },
        { newValue: agg, oldValue: old },
        record.timestamp,
        record.headers,
        onTime,
      );
    } else this.due.add(this.dueTime(end), { key, start, end });
  }
}
