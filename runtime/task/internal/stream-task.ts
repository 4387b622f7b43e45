import type { CompiledSubtopology, CompiledTopology } from '../../dsl/internal/compiled-topology.ts';
import type { ExceptionHandler } from '../../errors/exception-handlers.ts';
import { defaultDeadLetterTopic } from '../../errors/exception-handlers.ts';
import { consoleLogger, type Logger } from '../../errors/logger.ts';
import { ProcessingError, SerdeError } from '../../errors/runtime-errors.ts';
import { StreamsError } from '../../errors/streams-error.ts';
import type { Cancellable, PunctuationType } from '../../processor/processor.ts';
import type { RecordMetadata, StreamRecord } from '../../processor/record.ts';
import type { StoreMetrics } from '../../state/metered-key-value-store.ts';
import { writeDownCache } from '../../state/cached-forwarding.ts';
import type { StateStore } from '../../state/state-store.ts';
import type { Clock } from '../../time/clock.ts';
import { PunctuationQueue, type PunctuationSchedule } from './punctuation-queue.ts';
import type { RawRecord, RecordCollector } from './record-collector.ts';
import { RecordErrorPolicy, type FailureKind } from './record-error-policy.ts';
import { buildTaskGraph, type TaskSource } from './task-graph.ts';
import type { NodeHost, TaskNode } from './task-node.ts';
import { TaskStateContext } from './task-state-context.ts';

/** Optional callbacks for metrics; each is called synchronously on the hot path. */
export interface StreamTaskHooks {
  /** A consumed record entered the task (before deserialization). */
  onRecordIn?(topic: string, partition: number): void;
  /** A processor node is about to process a record. */
  onProcess?(processorName: string): void;
  /** A sink handed a record to the collector. */
  onRecordOut?(topic: string): void;
  /** A record went to the dead-letter topic. */
  onDeadLetter?(kind: FailureKind, topic: string, error: Error): void;
}

export interface StreamTaskOptions {
  topology: CompiledTopology;
  /** The subtopology to run; a global one runs the global stores' update processors. */
  subtopology: CompiledSubtopology;
  /** Input partition (the same number on every co-partitioned input and on changelogs). */
  partition: number;
  /** Default `<subtopology.id>_<partition>`, as in Kafka Streams. */
  taskId?: string;
  /** Receives sink output, changelog writes and dead-letter records. */
  collector: RecordCollector;
  /** Folder of this task's persistent stores: `<state.dir>/<application.id>/<taskId>`. */
  stateDir: string;
  /** Wall-clock time for WALL_CLOCK_TIME punctuators and `currentSystemTimeMs`. */
  clock: Clock;
  /** Global stores of the instance, readable by every processor. */
  globalStores?: ReadonlyMap<string, StateStore>;
  /** Default 'logAndContinue'. */
  deserializationExceptionHandler?: ExceptionHandler;
  /** Default 'logAndFail'. */
  processingExceptionHandler?: ExceptionHandler;
  /** Default `<application.id>-dlq`. */
  deadLetterTopic?: string;
  logger?: Logger;
  /** Partition count of a topic, for sinks with a custom partitioner. */
  partitionsFor?: (topic: string) => number;
  hooks?: StreamTaskHooks;
  /** Metrics sink of the stores (adds their metered layer). */
  storeMetrics?: StoreMetrics;
  /** Cache bound of each store with caching on (statestore.cache.max.bytes). */
  cacheMaxBytes?: number;
}

/**
 * Runs one subtopology for one partition. Life cycle: `initStores()` (build and open
 * the stores), then the runtime restores them from their changelogs (`stores`), then
 * `initProcessors()`; `init()` does both steps with nothing to restore in between.
 * Then `process(raw)` per consumed record, in offset order; `punctuateWallClockTime()`
 * from the poll loop; `commit()` before the offsets are committed; `close()`.
 *
 * `close()` closes processors and stores without flushing: `commit()` first for a clean
 * close (a task that is abandoned after an error is closed without it).
 *
 * `process` deserializes with the source serdes, extracts the timestamp, advances
 * stream time (the max timestamp seen), runs the processors depth-first and fires the
 * due STREAM_TIME punctuators. It returns undefined when everything ran synchronously,
 * or a promise when a processor returned one; the caller awaits it before the next
 * record. A record that fails goes to the exception handler (see RecordErrorPolicy).
 */
export class StreamTask implements NodeHost {
  readonly applicationId: string;
  readonly taskId: string;
  readonly partition: number;
  readonly subtopology: CompiledSubtopology;
  /** The task's stores with their changelog topics, for restoration. */
  readonly stores = new Map<string, { store: StateStore; changelogTopic: string | null }>();
  streamTime = -1;
  currentNode: TaskNode | null = null;
  currentMetadata: RecordMetadata | null = null;
  readonly onProcess: ((processorName: string) => void) | undefined;
  private readonly options: StreamTaskOptions;
  private readonly errors: RecordErrorPolicy;
  private readonly punctuations = new PunctuationQueue();
  private readonly sources: Map<string, TaskSource>;
  private readonly nodes: TaskNode[];
  private readonly stateContext: TaskStateContext;
  private readonly onRecordIn: ((topic: string, partition: number) => void) | undefined;
  private deferred: Promise<void>[] = [];
  private deferredFailure: { error: unknown; node: string } | undefined;
  private processedCount = 0;
  private state: 'created' | 'stores' | 'running' | 'closed' = 'created';

  constructor(options: StreamTaskOptions) {
    this.options = options;
    this.applicationId = options.topology.applicationId;
    this.subtopology = options.subtopology;
    this.partition = options.partition;
    this.taskId = options.taskId ?? `${options.subtopology.id}_${options.partition}`;
    this.onProcess = options.hooks?.onProcess;
    this.onRecordIn = options.hooks?.onRecordIn;
    this.errors = new RecordErrorPolicy(
      this.taskId,
      options.deserializationExceptionHandler ?? 'logAndContinue',
      options.processingExceptionHandler ?? 'logAndFail',
      options.deadLetterTopic ?? defaultDeadLetterTopic(this.applicationId),
      options.collector,
      options.logger ?? consoleLogger,
      options.hooks?.onDeadLetter,
    );
    this.stateContext = new TaskStateContext(this, options.stateDir, options.collector);
    const graph = buildTaskGraph(this, options);
    this.sources = graph.sources;
    this.nodes = graph.nodes;
  }

  /** Records sent to the dead-letter topic by this task. */
  get deadLetterCount(): number {
    return this.errors.deadLettered;
  }

  /** Records processed (including dead-lettered ones). */
  get processed(): number {
    return this.processedCount;
  }

  async init(): Promise<void> {
    await this.initStores();
    await this.initProcessors();
  }

  async initStores(): Promise<void> {
    if (this.state !== 'created') throw new StreamsError('TASK_STATE', `task ${this.taskId}: initStores called twice`);
    for (const s of this.subtopology.stores) {
      const store = s.builder.build(this.options.topology.defaults, { metrics: this.options.storeMetrics, cacheMaxBytes: this.options.cacheMaxBytes });
      this.stores.set(s.name, { store, changelogTopic: s.changelogTopic });
      this.stateContext.changelogs.set(s.name, s.changelogTopic);
      await store.init(this.stateContext);
    }
    this.state = 'stores';
  }

  async initProcessors(): Promise<void> {
    if (this.state !== 'stores') throw new StreamsError('TASK_STATE', `task ${this.taskId}: initProcessors needs initStores first`);
    for (const [topic, source] of this.sources) {
      await source.keySerde.prepare?.(topic);
      await source.valueSerde.prepare?.(topic);
    }
    for (const node of this.nodes) {
      this.currentNode = node;
      await node.processor.init?.(node);
    }
    this.currentNode = null;
    this.state = 'running';
  }

  process(raw: RawRecord): void | Promise<void> {
    const source = this.sources.get(raw.topic);
    if (source === undefined) {
      throw new StreamsError('UNKNOWN_TOPIC', `task ${this.taskId} does not read topic ${raw.topic}`, { context: { taskId: this.taskId, topic: raw.topic } });
    }
    this.processedCount++;
    if (this.onRecordIn !== undefined) this.onRecordIn(raw.topic, raw.partition);
    this.currentMetadata = raw;
    let key: unknown;
    let value: unknown;
    let timestamp: number;
    try {
      key = raw.key === null ? null : source.keySerde.deserialize(raw.topic, raw.key, raw.headers);
      value = raw.value === null ? null : source.valueSerde.deserialize(raw.topic, raw.value, raw.headers);
      timestamp = source.extractor(raw, this.streamTime, value);
      if (!(timestamp >= 0)) throw new SerdeError('DESERIALIZATION_FAILED', `invalid timestamp ${timestamp}: event time must be >= 0`);
    } catch (thrown) {
      this.currentMetadata = null;
      this.errors.handle('deserialization', raw, thrown, source.node.processorName);
      return;
    }
    if (timestamp > this.streamTime) this.streamTime = timestamp;
    this.currentRecordTime = timestamp;
    const record: StreamRecord<unknown, unknown> = { key, value, timestamp, headers: raw.headers };
    try {
      source.node.run(record);
    } catch (thrown) {
      this.failRecord(raw, thrown);
    }
    if (this.deferred.length > 0) return this.awaitDeferred(raw);
    this.currentMetadata = null;
    return this.punctuate('STREAM_TIME', this.streamTime);
  }

  /** Fires the due WALL_CLOCK_TIME punctuators; call it regularly from the poll loop. */
  punctuateWallClockTime(): void | Promise<void> {
    return this.punctuate('WALL_CLOCK_TIME', this.options.clock.now());
  }

  /**
   * Flushes every store (caches to the inner stores and changelogs). Caches are written
   * down first, in store order (upstream stores first), so that the updates a DSL cache
   * forwards reach the stores downstream before those are flushed.
   */
  async commit(): Promise<void> {
    this.writeDownCaches();
    // What the write-down forwarded to an asynchronous processor belongs to this commit:
    // it must land before the stores flush and the offsets commit, and its failure fails the task.
    await this.settleCommitWork();
    // Every cache is written down now, so the stores flush independently, concurrently.
    await Promise.all([...this.stores.values()].map(({ store }) => store.flush()));
    this.stateContext.sendChanges();
  }

  /**
   * Writes the caches of the DSL stores down now, synchronously; the aggregations forward
   * what they write down (see CachedForwarding). Then sends the changelog records coalesced
   * since the last call (see TaskStateContext). The test driver calls it after each record.
   */
  writeDownCaches(): void {
    this.flushProcessors();
    for (const { store } of this.stores.values()) writeDownCache(store);
    this.stateContext.sendChanges();
  }

  /** Runs the processors' `onCommit` hooks in the order the topology added them (upstream first). */
  private flushProcessors(): void {
    if (this.state !== 'running') return;
    for (const node of this.nodes) {
      if (node.processor.onCommit === undefined) continue;
      this.currentNode = node;
      try {
        node.processor.onCommit();
      } finally {
        this.currentNode = null;
      }
    }
  }

  /** True while the task runs: its stores are restored and open, and it is not closing. */
  get queryable(): boolean {
    return this.state === 'running';
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasRunning = this.state === 'running';
    this.state = 'closed';
    this.stateContext.dropChanges();
    if (wasRunning) for (const node of this.nodes) await node.processor.close?.();
    for (const { store } of this.stores.values()) await store.close();
  }

  systemTime(): number {
    return this.options.clock.now();
  }

  store(name: string, connected: boolean): StateStore | undefined {
    return connected ? this.stores.get(name)?.store : this.options.globalStores?.get(name);
  }

  schedule(node: TaskNode, intervalMs: number, type: PunctuationType, punctuator: (t: number) => void | Promise<void>): Cancellable {
    const start = type === 'STREAM_TIME' ? 0 : this.options.clock.now() + intervalMs;
    return this.punctuations.add(type, intervalMs, start, node, punctuator);
  }

  defer(promise: Promise<void>, node: TaskNode): void {
    this.deferred.push(
      promise.then(undefined, (error: unknown) => {
        this.deferredFailure ??= { error, node: node.processorName };
      }),
    );
  }

  /** Time of the record or punctuation being processed, for change-logging. */
  currentTimestamp(): number {
    return this.currentRecordTime;
  }

  private currentRecordTime = 0;

  private failRecord(raw: RawRecord, thrown: unknown, node?: string): void {
    const processor = node ?? this.currentNode?.processorName ?? '';
    this.currentNode = null;
    this.errors.handle('processing', raw, thrown, processor);
  }

  /** Waits for every deferred forward, including those the awaited ones defer in turn. */
  private async drainDeferred(): Promise<void> {
    while (this.deferred.length > 0) {
      const pending = this.deferred;
      this.deferred = [];
      await Promise.all(pending);
    }
  }

  private async settleCommitWork(): Promise<void> {
    await this.drainDeferred();
    const failure = this.deferredFailure;
    this.deferredFailure = undefined;
    if (failure === undefined) return;
    if (failure.error instanceof StreamsError && failure.error.retriable) throw failure.error;
    throw new ProcessingError(`${failure.node} in task ${this.taskId} failed on what a commit wrote down: ${String((failure.error as Error)?.message ?? failure.error)}`, {
      cause: failure.error,
      context: { taskId: this.taskId, processor: failure.node },
    });
  }

  private async awaitDeferred(raw: RawRecord): Promise<void> {
    await this.drainDeferred();
    const failure = this.deferredFailure;
    this.deferredFailure = undefined;
    if (failure !== undefined) this.failRecord(raw, failure.error, failure.node);
    this.currentMetadata = null;
    await this.punctuate('STREAM_TIME', this.streamTime);
  }

  private punctuate(type: PunctuationType, now: number): void | Promise<void> {
    if (this.punctuations.size === 0) return;
    const due = this.punctuations.due(type, now);
    if (due.length > 0) this.currentRecordTime = now;
    for (let i = 0; i < due.length; i++) {
      const schedule = due[i]!;
      this.currentNode = schedule.owner as TaskNode;
      this.currentMetadata = null;
      let result: void | Promise<void>;
      try {
        result = schedule.punctuator(now);
      } catch (thrown) {
        throw this.punctuationError(type, thrown);
      }
      this.currentNode = null;
      if (result !== undefined || this.deferred.length > 0) return this.finishPunctuation(type, now, result, due.slice(i + 1));
    }
  }

  private async finishPunctuation(type: PunctuationType, now: number, first: void | Promise<void>, rest: PunctuationSchedule[]): Promise<void> {
    try {
      await first;
      await this.drainDeferred();
      if (this.deferredFailure !== undefined) throw this.deferredFailure.error;
      for (const schedule of rest) {
        this.currentNode = schedule.owner as TaskNode;
        await schedule.punctuator(now);
      }
    } catch (thrown) {
      throw this.punctuationError(type, thrown);
    } finally {
      this.currentNode = null;
    }
  }

  private punctuationError(type: PunctuationType, thrown: unknown): StreamsError {
    if (thrown instanceof StreamsError && thrown.retriable) return thrown;
    const processor = this.currentNode?.processorName ?? '';
    this.currentNode = null;
    return new ProcessingError(`${type} punctuator of ${processor} in task ${this.taskId} failed: ${String((thrown as Error)?.message ?? thrown)}`, {
      cause: thrown,
      context: { taskId: this.taskId, processor },
    });
  }
}
