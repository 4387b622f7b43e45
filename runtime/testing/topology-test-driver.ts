import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { internalTopicPartitions, type CompiledTopology } from '../dsl/internal/compiled-topology.ts';
import type { TopicDescriptor } from '../dsl/options.ts';
import type { Topology } from '../dsl/topology.ts';
import { defaultDeadLetterTopic, type ExceptionHandler } from '../errors/exception-handlers.ts';
import { consoleLogger, type Logger } from '../errors/logger.ts';
import { StreamsError } from '../errors/streams-error.ts';
import type { Headers } from '../processor/record.ts';
import type { Serde } from '../serde/serde.ts';
import type { KeyValueStore, StateStore } from '../state/state-store.ts';
import { partitionForKey } from '../task/internal/default-partitioner.ts';
import type { OutgoingRecord, RawRecord } from '../task/internal/record-collector.ts';
import { createGlobalState } from '../task/internal/global-state.ts';
import { StreamTask } from '../task/internal/stream-task.ts';
import { ManualClock } from '../time/clock.ts';
import { PartitionedStoreView } from './internal/partitioned-store-view.ts';
import { TopicLog } from './internal/topic-log.ts';
import { TestInputTopic } from './test-input-topic.ts';
import { TestOutputTopic } from './test-output-topic.ts';

export interface TopologyTestDriverConfig {
  /** application.id: prefix of internal topics and of the DLQ. Default `test-app`. */
  applicationId?: string;
  /** Partitions of every topic (repartition topics with a fixed count excepted). Default 1. */
  partitions?: number;
  defaultKeySerde?: Serde<unknown>;
  defaultValueSerde?: Serde<unknown>;
  /** Default 'logAndContinue'. */
  deserializationExceptionHandler?: ExceptionHandler;
  /** Default 'logAndFail'. */
  processingExceptionHandler?: ExceptionHandler;
  /** Default `<applicationId>-dlq`. */
  deadLetterTopic?: string;
  /** Start of the manual wall clock. Default 0. */
  initialWallClockTimeMs?: number;
  /** Folder for persistent stores. Default a fresh temporary folder. */
  stateDir?: string;
  logger?: Logger;
  /** Cache bound of stores with caching on; 0 turns caching off. Default 10 MiB. */
  cacheMaxBytes?: number;
  /**
   * Write the store caches down after each piped record (and each wall-clock advance),
   * as Kafka's TopologyTestDriver commits after each record: a cached aggregation then
   * forwards each update at once. Default true. With false, cached updates are forwarded
   * once per key at `commit()` (or when a cache overflows), as the real runtime does
   * once per commit interval; that is how to test the deduplication.
   */
  commitEachRecord?: boolean;
}

/**
 * Runs a topology in process, deterministically, without a broker, on the very same
 * StreamTask code as the Kafka runtime: one task per (subtopology, partition), topics
 * in memory, a manual clock. A piped record is processed at once, with everything it
 * causes downstream (repartition topics are routed back into their tasks) before
 * `pipeInput` returns. Every topic, the DLQ included, can be read with an output topic.
 * Store caches are written down after each record unless `commitEachRecord` is false;
 * `commit()` flushes every store, as a commit of the real runtime.
 */
export class TopologyTestDriver {
  readonly clock: ManualClock;
  readonly applicationId: string;
  readonly compiled: CompiledTopology;
  private readonly log = new TopicLog();
  private readonly partitions: number;
  private readonly internalPartitions: Map<string, number>;
  private readonly tasks: StreamTask[] = [];
  private readonly routes = new Map<string, StreamTask[]>();
  private readonly globalStores = new Map<string, StateStore>();
  private readonly queue: RawRecord[] = [];
  private readonly roundRobin = new Map<string, number>();
  private readonly collector = { send: (r: OutgoingRecord): void => this.deliver(r) };

  private constructor(topology: Topology, private readonly config: TopologyTestDriverConfig) {
    this.applicationId = config.applicationId ?? 'test-app';
    this.partitions = config.partitions ?? 1;
    this.clock = new ManualClock(config.initialWallClockTimeMs ?? 0);
    this.compiled = topology.compile({
      applicationId: this.applicationId,
      defaults: { keySerde: config.defaultKeySerde, valueSerde: config.defaultValueSerde },
    });
    this.internalPartitions = internalTopicPartitions(this.compiled, () => this.partitions);
  }

  static async create(topology: Topology, config: TopologyTestDriverConfig = {}): Promise<TopologyTestDriver> {
    const driver = new TopologyTestDriver(topology, config);
    try {
      await driver.start();
    } catch (error) {
      await driver.close().catch(() => {});
      throw error;
    }
    return driver;
  }

  get deadLetterTopic(): string {
    return this.config.deadLetterTopic ?? defaultDeadLetterTopic(this.applicationId);
  }

  /** An input topic, by name with serdes or as a TopicDescriptor carrying them. */
  createInputTopic<K, V>(topic: string | TopicDescriptor<K, V>, keySerde?: Serde<K>, valueSerde?: Serde<V>): TestInputTopic<K, V> {
    const t = this.topicWithSerdes(topic, keySerde, valueSerde);
    return new TestInputTopic(t.name, { pipe: (...args) => this.pipe(...args) }, t.keySerde, t.valueSerde);
  }

  /** An output topic (any topic: outputs, internal topics, the DLQ), read from its start. */
  createOutputTopic<K, V>(topic: string | TopicDescriptor<K, V>, keySerde?: Serde<K>, valueSerde?: Serde<V>): TestOutputTopic<K, V> {
    const t = this.topicWithSerdes(topic, keySerde, valueSerde);
    return new TestOutputTopic(t.name, (name) => this.log.read(name), t.keySerde, t.valueSerde);
  }

  private topicWithSerdes<K, V>(topic: string | TopicDescriptor<K, V>, keySerde?: Serde<K>, valueSerde?: Serde<V>): TopicDescriptor<K, V> {
    const name = typeof topic === 'string' ? topic : topic.name;
    const k = keySerde ?? (typeof topic === 'string' ? undefined : topic.keySerde);
    const v = valueSerde ?? (typeof topic === 'string' ? undefined : topic.valueSerde);
    if (k === undefined || v === undefined) throw new StreamsError('CONFIG_INVALID', `test topic ${name} needs a ${k === undefined ? 'key' : 'value'} serde`);
    return { name, keySerde: k, valueSerde: v };
  }

  /** Names of every topic written so far (inputs, outputs, internal topics, DLQ). */
  topicNames(): string[] {
    return this.log.topics();
  }

  partitionsOf(topic: string): number {
    return this.internalPartitions.get(topic) ?? this.partitions;
  }

  /** A store by name: global, or of the one task that has it, or a read-only view over all partitions. */
  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> {
    const global = this.globalStores.get(name);
    if (global !== undefined) return global as KeyValueStore<K, V>;
    const parts = this.tasks.flatMap((t) => {
      const s = t.stores.get(name);
      return s === undefined ? [] : [s.store as KeyValueStore<K, V>];
    });
    if (parts.length === 0) throw new StreamsError('STORE_NOT_FOUND', `the topology has no store named ${name}`, { context: { store: name } });
    return parts.length === 1 ? parts[0]! : new PartitionedStoreView(name, parts);
  }

  /** Moves the wall clock forward and fires the due WALL_CLOCK_TIME punctuators. */
  advanceWallClockTime(ms: number): void | Promise<void> {
    this.clock.advance(ms);
    return this.serially(() => {
      const punctuated = this.punctuateFrom(0);
      return punctuated === undefined ? this.settle() : punctuated.then(() => this.settle());
    });
  }

  /** Records the tasks sent to the DLQ. */
  get deadLetterCount(): number {
    return this.tasks.reduce((n, t) => n + t.deadLetterCount, 0);
  }

  /**
   * Flushes every store (caches, changelogs), as a commit of the real runtime does, and
   * processes what the caches forwarded (records sent to repartition topics included).
   */
  async commit(): Promise<void> {
    await this.busy;
    for (const t of this.tasks) await t.commit();
    await this.serially(() => this.settle());
  }

  /** Closes every task; a state folder the driver created itself is deleted. */
  async close(): Promise<void> {
    for (const t of this.tasks) await t.close();
    if (this.ownStateDir !== undefined) await rm(this.ownStateDir, { recursive: true, force: true });
  }

  private ownStateDir: string | undefined;

  private async start(): Promise<void> {
    if (this.config.stateDir === undefined) this.ownStateDir = await mkdtemp(join(tmpdir(), 'streamhouse-test-driver-'));
    const stateRoot = this.config.stateDir ?? this.ownStateDir!;
    const make = (sub: CompiledTopology['subtopologies'][number], partition: number, taskId: string): StreamTask =>
      new StreamTask({
        ...this.taskOptions(),
        topology: this.compiled,
        subtopology: sub,
        partition,
        taskId,
        stateDir: join(stateRoot, this.applicationId, taskId),
        globalStores: this.globalStores,
      });
    const global = await createGlobalState(this.compiled, this.taskOptions(), (taskId) => join(stateRoot, this.applicationId, taskId));
    for (const [name, store] of global.stores) this.globalStores.set(name, store);
    for (const [topic, task] of global.taskByTopic) this.routes.set(topic, [task]);
    this.tasks.push(...global.tasks);
    for (const sub of this.compiled.subtopologies) {
      const count = Math.max(1, ...sub.sourceTopics.map((t) => this.partitionsOf(t)));
      const tasks: StreamTask[] = [];
      for (let p = 0; p < count; p++) {
        const task = make(sub, p, `${sub.id}_${p}`);
        await this.initTask(task);
        tasks.push(task);
      }
      for (const topic of sub.sourceTopics) this.routes.set(topic, tasks);
    }
  }

  private taskOptions() {
    return {
      collector: this.collector,
      clock: this.clock,
      deserializationExceptionHandler: this.config.deserializationExceptionHandler,
      processingExceptionHandler: this.config.processingExceptionHandler,
      deadLetterTopic: this.deadLetterTopic,
      logger: this.config.logger ?? consoleLogger,
      partitionsFor: (t: string) => this.partitionsOf(t),
      cacheMaxBytes: this.config.cacheMaxBytes,
    };
  }

  private async initTask(task: StreamTask): Promise<void> {
    await task.init();
    this.tasks.push(task);
  }

  private pipe(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number | undefined, headers: Headers): void | Promise<void> {
    this.deliver({ topic, key, value, timestamp: timestamp ?? this.clock.now(), headers });
    return this.serially(() => this.settle());
  }

  /**
   * Processes the queue to the end; then, with `commitEachRecord`, writes every cache
   * down and processes what that forwarded, until nothing is left.
   */
  private settle(): void | Promise<void> {
    const pending = this.drain();
    if (pending !== undefined) return pending.then(() => this.settle());
    if (this.config.commitEachRecord === false) return;
    for (const t of this.tasks) t.writeDownCaches();
    if (this.queue.length > 0) return this.settle();
  }

  /**
   * Runs `step` now, or, while an asynchronous step is still running (a test that did not
   * await a pipe into an async processor), after it: records are processed one at a time
   * and in order, whatever the caller awaits.
   */
  private serially(step: () => void | Promise<void>): void | Promise<void> {
    const result = this.busy === undefined ? step() : this.busy.then(step, step);
    if (result !== undefined) {
      this.busy = result;
      const clear = (): void => {
        if (this.busy === result) this.busy = undefined;
      };
      result.then(clear, clear);
    }
    return result;
  }

  private busy: Promise<void> | undefined;

  private deliver(record: OutgoingRecord): void {
    const partition = record.partition ?? this.choosePartition(record.topic, record.key);
    const logged = this.log.append(record.topic, partition, record.key, record.value, record.timestamp, record.headers);
    if (this.routes.has(record.topic)) {
      this.queue.push({ ...logged, offset: String(logged.offset) });
    }
  }

  private choosePartition(topic: string, key: Buffer | null): number {
    const n = this.partitionsOf(topic);
    if (key !== null) return partitionForKey(key, n);
    const next = this.roundRobin.get(topic) ?? 0;
    this.roundRobin.set(topic, next + 1);
    return next % n;
  }

  private drain(): void | Promise<void> {
    while (this.queue.length > 0) {
      const raw = this.queue.shift()!;
      const tasks = this.routes.get(raw.topic)!;
      const task = tasks.length === 1 ? tasks[0]! : tasks[raw.partition]!;
      const pending = task.process(raw);
      if (pending !== undefined) return pending.then(() => this.drain());
    }
  }

  private punctuateFrom(index: number): void | Promise<void> {
    for (let i = index; i < this.tasks.length; i++) {
      const pending = this.tasks[i]!.punctuateWallClockTime();
      const drained = pending === undefined ? this.drain() : pending.then(() => this.drain());
      if (drained !== undefined) return drained.then(() => this.punctuateFrom(i + 1));
    }
  }
}
