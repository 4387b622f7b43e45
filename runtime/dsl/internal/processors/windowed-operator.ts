import { NullKeyError, NullValueError } from '../../../errors/runtime-errors.ts';
import type { Processor, ProcessorContext } from '../../../processor/processor.ts';
import type { Headers, StreamRecord } from '../../../processor/record.ts';
import type { KeyValueStore } from '../../../state/state-store.ts';
import type { ResolvedIdlePolicy } from '../../../time/idle-policy.ts';
import { StreamTimeTracker } from '../../../time/stream-time-tracker.ts';
import type { EmitMode } from '../../../windows/emit-mode.ts';
import { streamTimeStoreName } from '../../../windows/internal/operator-stores.ts';
import { correctionHeaders, lateRecord, type LateReason } from '../../../windows/late-events.ts';
import type { Window, Windowed } from '../../../windows/window.ts';
import type { Change } from '../change.ts';

/** What every windowed operator is configured with. */
export interface WindowedOperatorSpec {
  readonly storeName: string;
  readonly graceMs: number;
  readonly emit: EmitMode;
  /** Child node that receives results (the node of the resulting table). */
  readonly resultChild: string;
  /** Child sink of the late-events topic. */
  readonly lateChild: string;
  readonly idle: ResolvedIdlePolicy | undefined;
}

type Pending = void | Promise<void>;

/**
 * Base of the windowed aggregations: keeps stream time (StreamTimeTracker), calls
 * `onStreamTimeAdvanced` before a record that moves it forward is applied (and when the
 * idle policy moves it), sends late records to the late-events child and results to the
 * result child. Subclasses implement `restoreIndex` (rebuild derived state from the
 * stores at init) and `apply` (one record).
 */
export abstract class WindowedOperator<K, V, VA> implements Processor<K, V, unknown, unknown> {
  protected context!: ProcessorContext<unknown, unknown>;
  protected tracker!: StreamTimeTracker;

  constructor(protected readonly spec: WindowedOperatorSpec) {}

  init(context: ProcessorContext<unknown, unknown>): Pending {
    this.context = context;
    const meta = context.getStateStore<KeyValueStore<string, number>>(streamTimeStoreName(this.spec.storeName));
    this.tracker = new StreamTimeTracker(this.spec.graceMs, meta, this.spec.idle);
    this.tracker.load();
    const idle = this.spec.idle;
    if (idle !== undefined) {
      context.schedule(idle.checkIntervalMs, 'WALL_CLOCK_TIME', (now) =>
        this.tracker.idleAdvance(now) ? this.onStreamTimeAdvanced() : undefined,
      );
    }
    return this.restoreIndex();
  }

  process(record: StreamRecord<K, V>): Pending {
    if (record.key === null || record.key === undefined)
      throw new NullKeyError(`cannot aggregate a record without a key into ${this.spec.storeName}`);
    if (record.value === null || record.value === undefined)
      throw new NullValueError(`cannot aggregate a null value into ${this.spec.storeName}`);
    if (this.tracker.observe(record.timestamp, this.context.currentSystemTimeMs())) {
      const advanced = this.onStreamTimeAdvanced();
      if (advanced !== undefined) return advanced.then(() => this.apply(record));
    }
    return this.apply(record);
  }

  protected abstract restoreIndex(): Pending;
  protected abstract apply(record: StreamRecord<K, V>): Pending;
  protected abstract onStreamTimeAdvanced(): Pending;

  /** Sends a record that missed its window(s) to the late-events topic. */
  protected sendLate(record: StreamRecord<K, V>, reason: LateReason, missedByMs: number): void {
    const late = {
      reason,
      missedByMs,
      streamTimeMs: this.tracker.streamTime,
      graceMs: this.spec.graceMs,
      processor: this.context.processorName,
    };
    this.context.forward(lateRecord(record, late, this.context.currentSystemTimeMs()), this.spec.lateChild);
  }

  /** Forwards one window's result; `correction` marks an update of an already emitted window. */
  protected emitResult(
    key: K,
    window: Window,
    change: Change<VA>,
    timestamp: number,
    base: Headers,
    correction: boolean,
  ): void {
    const windowed: Windowed<K> = { key, window };
    const headers = correction ? correctionHeaders(base) : base;
    this.context.forward({ key: windowed, value: change, timestamp, headers }, this.spec.resultChild);
  }
}

export const NO_HEADERS: Headers = Object.freeze({}) as Headers;
