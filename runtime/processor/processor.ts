import type { StateStore } from '../state/state-store.ts';
import type { RecordMetadata, StreamRecord } from './record.ts';

/**
 * The one processing contract. Every DSL operator compiles to a Processor, as in Kafka
 * Streams. `process` is synchronous on the hot path; it may return a promise when it
 * must wait (an async range scan, say), and the task then awaits it before the next
 * record of that task. Processors must not keep state outside state stores if that
 * state has to survive a restart or a rebalance.
 */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void | Promise<void>;
  process(record: StreamRecord<KIn, VIn>): void | Promise<void>;
  /**
   * Called at each commit of the task (and, in the test driver, wherever the caches are
   * written down), synchronously, in topological order and before the stores' caches
   * are written down. A processor that buffers in memory (a combiner: partial aggregates
   * per key, forwarded once per commit instead of once per record) forwards what it
   * holds here; those records then go out in the same transaction as the input offsets
   * they came from, so the buffer need not survive a crash (it is empty at every commit).
   */
  onCommit?(): void;
  close?(): void | Promise<void>;
}

export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> = () => Processor<KIn, VIn, KOut, VOut>;

/**
 * STREAM_TIME punctuators fire when the task's stream time (max timestamp seen) passes
 * the next interval boundary; WALL_CLOCK_TIME punctuators fire on the injected clock.
 */
export type PunctuationType = 'STREAM_TIME' | 'WALL_CLOCK_TIME';

export interface Cancellable {
  cancel(): void;
}

export interface ProcessorContext<KOut, VOut> {
  readonly applicationId: string;
  /** `<subtopologyId>_<partition>`, as in Kafka Streams. */
  readonly taskId: string;
  /** Name of the processor node this context belongs to. */
  readonly processorName: string;
  /** Sends a record to all children, or to the named child only. */
  forward(record: StreamRecord<KOut, VOut>, childName?: string): void;
  /** A store connected to this processor; throws StoreNotFoundError otherwise. */
  getStateStore<S extends StateStore>(name: string): S;
  schedule(intervalMs: number, type: PunctuationType, punctuator: (timestamp: number) => void | Promise<void>): Cancellable;
  /** Metadata of the input record being processed; null inside a punctuator. */
  recordMetadata(): RecordMetadata | null;
  /** Max event time seen by this task (-1 before any record). */
  currentStreamTimeMs(): number;
  /** The injected clock's time. */
  currentSystemTimeMs(): number;
}
