import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { Processor, ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { KeyValueStore } from '../../../state/state-store.ts';
import type { WindowStore } from '../../../state/window-store.ts';
import { StreamTimeTracker } from '../../../time/stream-time-tracker.ts';
import { DueIndex } from '../../../windows/internal/due-index.ts';
import type { UnmatchedGroup } from '../../../windows/internal/unmatched-serde.ts';
import { lateRecord } from '../../../windows/late-events.ts';
import type { JoinWindows } from '../../join-windows.ts';
import type { JoinType } from '../../joined.ts';

export interface StreamStreamJoinSpec {
  readonly type: JoinType;
  readonly windows: JoinWindows;
  readonly leftStore: string;
  readonly rightStore: string;
  /** Records still without a partner (left and outer joins). */
  readonly unmatchedStore: string | undefined;
  readonly streamTimeStore: string;
  readonly resultChild: string;
}

type Side = 'left' | 'right';
interface Pending<K> {
  key: K;
  ts: number;
  side: Side;
}

/** Event time and unmatched records shared by the two sides of one join in one task. */
interface Shared<K> {
  tracker: StreamTimeTracker;
  due: DueIndex<Pending<K>>;
  ready: Promise<void>;
}
const shared = new WeakMap<object, Shared<unknown>>();

/**
 * One side of a windowed stream-stream join (one processor per side, sharing stream
 * time). A record: when it moves stream time, unmatched records that can no longer find
 * a partner are emitted first (left/outer); a record at or below the watermark
 * (t + grace <= stream time) goes to the late-events topic. Otherwise it is stored in its
 * side's duplicate-retaining window store, and joined with every record of the other
 * side with the same key in its time bound (see JoinWindows), emitting one result each
 * at the later timestamp. Partners it finds are removed from the unmatched buffer; if it
 * finds none and its side is outer, it enters the buffer itself.
 */
export class StreamStreamJoinProcessor<K, V, VO, VR> implements Processor<K, V, unknown, unknown> {
  private context!: ProcessorContext<unknown, unknown>;
  private own!: WindowStore<K, V>;
  private other!: WindowStore<K, VO>;
  private unmatched: WindowStore<K, UnmatchedGroup<unknown, unknown>> | undefined;
  private state!: Shared<K>;

  constructor(
    private readonly spec: StreamStreamJoinSpec,
    private readonly side: Side,
    private readonly lateChild: string,
    private readonly joiner: (left: unknown, right: unknown, key: K) => VR,
  ) {}

  init(context: ProcessorContext<unknown, unknown>): Promise<void> {
    this.context = context;
    const s = this.spec;
    this.own = context.getStateStore(this.side === 'left' ? s.leftStore : s.rightStore);
    this.other = context.getStateStore(this.side === 'left' ? s.rightStore : s.leftStore);
    this.unmatched =
      s.unmatchedStore === undefined
        ? undefined
        : context.getStateStore<WindowStore<K, UnmatchedGroup<unknown, unknown>>>(s.unmatchedStore);
    const meta = context.getStateStore<KeyValueStore<string, number>>(s.streamTimeStore);
    let state = shared.get(meta) as Shared<K> | undefined;
    if (state === undefined) {
      const tracker = new StreamTimeTracker(s.windows.graceMs, meta, undefined);
      tracker.load();
      const due = new DueIndex<Pending<K>>();
      state = { tracker, due, ready: this.rebuild(due) };
      shared.set(meta, state as Shared<unknown>);
    }
    this.state = state;
    return state.ready;
  }

  private async rebuild(due: DueIndex<Pending<K>>): Promise<void> {
    if (this.unmatched === undefined) return;
    for await (const g of this.unmatched.all()) {
      if (g.value.left.length > 0)
        due.add(this.dueTime(g.windowStart, 'left'), { key: g.key, ts: g.windowStart, side: 'left' });
      if (g.value.right.length > 0)
        due.add(this.dueTime(g.windowStart, 'right'), { key: g.key, ts: g.windowStart, side: 'right' });
    }
  }

  private dueTime(ts: number, side: Side): number {
    const w = this.spec.windows;
    return ts + (side === 'left' ? w.afterMs : w.beforeMs) + w.graceMs;
  }

  private tracked(side: Side): boolean {
    return this.spec.type === 'outer' || (this.spec.type === 'left' && side === 'left');
  }

  async process(record: StreamRecord<K, V>): Promise<void> {
    const { key, value, timestamp: t } = record;
    if (key === null || key === undefined)
      throw new NullKeyError(`cannot join a stream record without a key (${this.context.processorName})`);
    const { tracker } = this.state;
    if (tracker.observe(t, this.context.currentSystemTimeMs())) this.emitUnmatched();
    const w = this.spec.windows;
    const st = tracker.streamTime;
    if (t + w.graceMs <= st) {
      const late = {
        reason: 'below-watermark' as const,
        missedByMs: st - w.graceMs - t + 1,
        streamTimeMs: st,
        graceMs: w.graceMs,
        processor: this.context.processorName,
      };
      this.context.forward(lateRecord(record, late, this.context.currentSystemTimeMs()), this.lateChild);
      return;
    }
    this.own.put(key, value, t);
    const [from, to] = this.side === 'left' ? [t - w.beforeMs, t + w.afterMs] : [t - w.afterMs, t + w.beforeMs];
    let matched = false;
    for await (const o of this.other.fetchRange(key, Math.max(0, from), to)) {
      matched = true;
      const [l, r] = this.side === 'left' ? [value, o.value] : [o.value, value];
      this.forward(key, this.joiner(l, r, key), Math.max(t, o.windowStart), record);
      this.removeUnmatched(key, o.windowStart, this.side === 'left' ? 'right' : 'left');
    }
    if (!matched && this.tracked(this.side)) this.addUnmatched(key, t, value);
  }

  private forward(key: K, value: VR, timestamp: number, record: StreamRecord<K, V> | undefined): void {
    this.context.forward({ key, value, timestamp, headers: record?.headers ?? {} }, this.spec.resultChild);
  }

  private addUnmatched(key: K, ts: number, value: V): void {
    const group = this.unmatched!.fetch(key, ts) ?? { left: [], right: [] };
    (this.side === 'left' ? group.left : group.right).push(value);
    this.unmatched!.put(key, group, ts);
    this.state.due.add(this.dueTime(ts, this.side), { key, ts, side: this.side });
  }

  private removeUnmatched(key: K, ts: number, side: Side): void {
    if (this.unmatched === undefined || !this.tracked(side)) return;
    const group = this.unmatched.fetch(key, ts);
    if (group === undefined || group[side].length === 0) return;
    group[side] = [];
    this.unmatched.put(key, group.left.length + group.right.length === 0 ? null : group, ts);
    this.state.due.remove(this.dueTime(ts, side), { key, ts, side });
  }

  private emitUnmatched(): void {
    if (this.unmatched === undefined) return;
    for (const { key: p } of this.state.due.popDue(this.state.tracker.streamTime)) {
      const group = this.unmatched.fetch(p.key, p.ts);
      if (group === undefined) continue;
      for (const v of group[p.side])
        this.forward(
          p.key,
          p.side === 'left' ? this.joiner(v, null, p.key) : this.joiner(null, v, p.key),
          p.ts,
          undefined,
        );
      group[p.side] = [];
      this.unmatched.put(p.key, group.left.length + group.right.length === 0 ? null : group, p.ts);
    }
  }
}
