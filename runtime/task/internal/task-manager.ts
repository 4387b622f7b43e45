import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { logLevel, Kafka, type Admin, type Consumer, type EachBatchPayload, type IHeaders } from 'kafkajs';
import { consoleLogger, type Logger } from '../../errors/logger.ts';
import { StreamsError } from '../../errors/streams-error.ts';
import type { Headers } from '../../processor/record.ts';
import { CheckpointFile, checkpointKey } from '../../state/checkpoint-file.ts';
import type { StreamsMetrics } from '../../metrics/streams-metrics.ts';
import type { ResolvedConfig } from '../kafka-streams-config.ts';
import { ChangelogReader } from './changelog-reader.ts';
import { installCoordinatorCache } from './coordinator-cache.ts';
import { installProduceEncoder } from './produce-request.ts';
import { deletePrivateGroups, privateGroupIds } from './private-groups.ts';
import { ensureInternalTopics } from './internal-topics.ts';
import { createTopicsAndWait } from './topic-creation.ts';
import type { OutputChannel } from './output-channel.ts';
import type { RawRecord } from './record-collector.ts';
import { SerialLock } from './serial-lock.ts';
import { RepartitionPurger } from './repartition-purge.ts';
import { taskAssignor, taskIdOf } from './task-assignor.ts';
import type { SubtopologyPlan, TaskFactory, TaskHandle, TopologyPlan } from './task-handle.ts';
import { IdempotentOutput, TransactionalTaskOutput, type OffsetsToCommit } from './task-output.ts';
import { restoreTask, watermarks } from './task-restorer.ts';

interface ActiveTask {
  readonly id: string;
  readonly sub: SubtopologyPlan;
  readonly partition: number;
  readonly handle: TaskHandle;
  readonly channel: OutputChannel;
  readonly eos: TransactionalTaskOutput | undefined;
  readonly alos: IdempotentOutput | undefined;
  readonly checkpoint: CheckpointFile;
  /** Next offset expected per input topic; records below it are stale re-deliveries. */
  readonly next: Map<string, bigint>;
  /** Offsets last committed per input topic, to skip commits of tasks that did not move. */
  readonly committed: Map<string, string>;
  ready: boolean;
  /** exactly_once: the transaction commit under way; the task keeps processing meanwhile. */
  commitInFlight: Promise<void> | undefined;
  /** exactly_once: why the last commit failed; the task is then recovered before anything else. */
  corrupted: unknown;
}

export interface TaskManagerEvents {
  rebalancing(): void;
  running(): void;
  fatal(error: unknown): void;
  /** A send failed for a reason kafkajs calls non-retriable (logged once per failure). */
  sendFailed?(taskId: string, error: unknown): void;
  /** The instance's logger, for conditions that are retried (a failed purge). */
  readonly logger?: Logger;
}

const PROCESS_PER_ROUND = 500;

/**
 * The coordinator of one instance (the "stream thread"). It owns the consumer (group =
 * application id, read_committed, task-aware sticky assignor), the producers, the tasks
 * and one processing loop.
 *
 * - Rebalance (kafkajs: eager only). On REBALANCING every partition is paused, all tasks
 *   commit and close cleanly (writing checkpoints). On GROUP_JOIN the assigned tasks are
 *   created, their producers fence older ones, their stores restore from the changelogs
 *   (from the checkpoint when there is one), then each input partition is seeked to its
 *   committed offset, read after fencing, and resumed. Both run under one lock with the
 *   processing loop, so a task never processes while it is being moved.
 * - Consumption: `eachBatch` only appends to task buffers. A partition whose buffer
 *   holds `bufferedRecordsPerPartition` records is paused, and resumed when it drains
 *   below half; a task whose output channel is congested is not processed (so its
 *   buffers fill and its partitions pause): backpressure from output to input.
 * - Commit every `commitIntervalMs` of the injected clock. exactly_once: per task, one
 *   transaction holds its output, changelog writes and input offsets, committed in the
 *   background while the task goes on (see `startCommits`); a failed commit
 *   recreates the producer, wipes the task's local state and reopens the task from the
 *   last committed offsets. at_least_once: flush all output, then commit offsets.
 */
export class TaskManager {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private consumer: Consumer | undefined;
  private reader: ChangelogReader | undefined;
  /** The changelog reader's own group, deleted at close (private-groups.ts). */
  private restoreGroup: string | undefined;
  private readonly tasks = new Map<string, ActiveTask>();
  /**
   * The tasks of the current assignment, from the assignment until the next revocation or
   * close: also while one is opening (producer, restoration) or being recovered, when it
   * is missing from `tasks`.
   */
  private readonly assigned = new Set<string>();
  private readonly byPartition = new Map<string, ActiveTask>();
  private readonly pausedByBackpressure = new Set<string>();
  private readonly lock = new SerialLock();
  private running = false;
  private generation = 0;
  private lastCommit = 0;
  /** The processing loop stopped on a fatal error: tasks it failed close dirty. */
  private halted = false;
  private wake: (() => void) | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly eos: boolean;
  private purger: RepartitionPurger | undefined;

  constructor(
    private readonly config: ResolvedConfig,
    /** Unique per KafkaStreams instance; names its restore consumer group. */
    private readonly processId: string,
    private readonly plan: TopologyPlan,
    private readonly createTask: TaskFactory,
    private readonly metrics: StreamsMetrics,
    private readonly events: TaskManagerEvents,
  ) {
    this.eos = config.processingGuarantee === 'exactly_once';
    // One FindCoordinator per producer instead of four per transaction (coordinator-cache.ts).
    if (this.eos) installCoordinatorCache();
    // Produce requests written in one buffer rather than an Encoder per record (produce-request.ts).
    installProduceEncoder();
    this.kafka = new Kafka({ clientId: config.clientId, brokers: config.bootstrapServers, logLevel: logLevel.NOTHING });
    this.admin = this.kafka.admin();
  }

  get activeTaskIds(): string[] {
    return [...this.tasks.keys()].sort();
  }

  /** The tasks assigned to this instance, running or not yet (opening, restoring, recovering). */
  get assignedTaskIds(): string[] {
    return [...this.assigned].sort();
  }

  async start(): Promise<void> {
    this.running = true;
    await this.admin.connect();
    await ensureInternalTopics(this.admin, this.plan, this.config.replicationFactor);
    if (this.config.dlqTopic) await this.ensureTopic(this.config.dlqTopic);
    await this.refreshPartitionCounts();
    const changelogTopics = this.plan.subtopologies.flatMap((s) => s.changelogs.map((c) => c.topic));
    const restoreGroup = privateGroupIds.restore(this.config.applicationId, this.config.clientId, this.processId);
    // The reader joins its group only when there is a changelog to read.
    if (changelogTopics.length > 0) this.restoreGroup = restoreGroup;
    this.reader = new ChangelogReader(this.kafka, restoreGroup, changelogTopics);
    await this.reader.start();
    const consumer = this.kafka.consumer({
      groupId: this.config.applicationId,
      readUncommitted: false,
      sessionTimeout: this.config.sessionTimeoutMs,
      rebalanceTimeout: Math.max(30_000, this.config.sessionTimeoutMs),
      heartbeatInterval: Math.min(1_000, Math.floor(this.config.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: 100,
      partitionAssigners: [taskAssignor({ subtopologies: () => this.plan.subtopologies, ownedTasks: () => this.activeTaskIds })],
    });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => this.onRevoke());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssign(payload.memberAssignment));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.running && !payload.restart) this.events.fatal(payload.error);
    });
    const topics = [...new Set(this.plan.subtopologies.flatMap((s) => s.sourceTopics))];
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.config.autoOffsetReset === 'earliest' });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => this.onFilteredFetch(payload));
    await consumer.run({ autoCommit: false, eachBatch: (payload) => this.onBatch(payload) });
    this.lastCommit = this.config.clock.now();
    const purged = new Set(this.plan.repartitionTopics.filter((r) => r.purge).map((r) => r.topic));
    this.purger = new RepartitionPurger(this.admin, purged, this.config.repartitionPurgeIntervalMs, this.lastCommit, this.events.logger ?? consoleLogger);
    this.loopDone = this.loop();
  }

  /**
   * Commits and closes every task, then leaves the group, deletes the private restore group
   * (the application group keeps its offsets) and disconnects.
   */
  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await this.lock.run(() => this.closeAll(true));
    await this.consumer?.disconnect().catch(() => undefined);
    await this.reader?.close();
    if (this.restoreGroup) await deletePrivateGroups(this.admin, [this.restoreGroup], this.events.logger ?? consoleLogger);
    await this.purger?.drain();
    await this.admin.disconnect().catch(() => undefined);
  }

  // ---- rebalancing --------------------------------------------------------------------

  private onRevoke(): void {
    this.generation++;
    this.metrics.rebalances.inc();
    this.events.rebalancing();
    const consumer = this.consumer!;
    for (const topic of new Set(this.plan.subtopologies.flatMap((s) => s.sourceTopics))) consumer.pause([{ topic }]);
    for (const t of this.tasks.values()) t.ready = false;
    this.assigned.clear();
    void this.lock.run(() => this.closeAll(true)).catch((err) => this.events.fatal(err));
  }

  private onAssign(assignment: Record<string, number[]>): void {
    const generation = ++this.generation;
    const consumer = this.consumer!;
    for (const topic of Object.keys(assignment)) consumer.pause([{ topic }]);
    this.pausedByBackpressure.clear();
    void this.lock
      .run(async () => {
        if (generation !== this.generation || !this.running || this.halted) return;
        await this.closeAll(true);
        const wanted = new Set<string>();
        for (const sub of this.plan.subtopologies) {
          for (const topic of sub.sourceTopics) for (const p of assignment[topic] ?? []) wanted.add(taskIdOf(sub.id, p));
        }
        for (const id of wanted) this.assigned.add(id);
        const cacheShare = Math.floor(this.config.cacheMaxBytes / Math.max(1, wanted.size));
        await this.refreshPartitionCounts();
        const opened = await Promise.all([...wanted].map((id) => this.openTask(id, cacheShare)));
        if (generation !== this.generation) return;
        await this.seekAndResume(opened);
        this.metrics.activeTasks.set(this.tasks.size);
        this.events.running();
      })
      .catch((err) => this.events.fatal(err));
  }

  private async openTask(taskId: string, cacheMaxBytes: number): Promise<ActiveTask> {
    const [subId, partition] = taskId.split('_').map(Number) as [number, number];
    const sub = this.plan.subtopologies.find((s) => s.id === subId)!;
    const stateDir = join(this.config.stateDir, this.config.applicationId, taskId);
    const eos = this.eos
      ? new TransactionalTaskOutput(this.kafka, `${this.config.applicationId}-${taskId}`, this.config.applicationId, {
          ...this.outputOptions(taskId),
          commitTimeoutMs: 30_000,
        })
      : undefined;
    await eos?.begin();
    const alos = eos ? undefined : new IdempotentOutput(this.kafka, this.outputOptions(taskId));
    await alos?.connect();
    const channel = eos ? eos.channel : alos!.channel();
    const checkpoint = new CheckpointFile(stateDir);
    const checkpointed = await checkpoint.read();
    if (!checkpointed) await checkpoint.wipe();
    const partitionsFor = (topic: string): number => this.partitionsFor(topic);
    const handle = this.createTask({ taskId, subtopology: sub, partition, collector: channel, stateDir, cacheMaxBytes, partitionsFor });
    await handle.initializeStores();
    await restoreTask(handle, sub.changelogs, partition, checkpointed, { admin: this.admin, reader: this.reader!, metrics: this.metrics });
    // Under exactly_once the store may now take writes of transactions that could abort:
    // only a clean close vouches for it again. Under at_least_once every commit rewrites it.
    if (this.eos) await checkpoint.delete();
    await handle.initializeProcessors();
    const task: ActiveTask = { id: taskId, sub, partition, handle, channel, eos, alos, checkpoint, next: new Map(), committed: new Map(), ready: false, commitInFlight: undefined, corrupted: undefined };
    this.tasks.set(taskId, task);
    for (const topic of sub.sourceTopics) this.byPartition.set(`${topic}:${partition}`, task);
    return task;
  }

  /** Seeks each task's inputs to the committed offsets (read after fencing) and resumes them. */
  private async seekAndResume(tasks: readonly ActiveTask[]): Promise<void> {
    if (tasks.length === 0) return;
    const topics = [...new Set(tasks.flatMap((t) => t.sub.sourceTopics))];
    const committed = new Map<string, bigint>();
    for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId: this.config.applicationId, topics })) {
      for (const p of partitions) if (Number(p.offset) >= 0) committed.set(`${topic}:${p.partition}`, BigInt(p.offset));
    }
    const marks = await watermarks(this.admin, topics);
    for (const t of tasks) {
      for (const topic of t.sub.sourceTopics) {
        const key = `${topic}:${t.partition}`;
        const mark = marks.get(key)!;
        const start = committed.get(key) ?? (this.config.autoOffsetReset === 'earliest' ? mark.low : mark.high);
        t.next.set(topic, start);
        this.consumer!.seek({ topic, partition: t.partition, offset: start.toString() });
      }
      t.ready = true;
      for (const topic of t.sub.sourceTopics) this.consumer!.resume([{ topic, partitions: [t.partition] }]);
    }
    this.wake?.();
  }

  /** Commits (when `clean`, and the loop has not halted on a failure) and closes every task; a task whose commit fails closes dirty. */
  private async closeAll(clean: boolean): Promise<void> {
    this.assigned.clear();
    if (this.tasks.size === 0) return;
    const tasks = [...this.tasks.values()];
    const failed = clean && !this.halted ? await this.commitTasks(tasks) : new Set(tasks);
    this.tasks.clear();
    this.byPartition.clear();
    await Promise.all(tasks.map((t) => this.closeTask(t, !failed.has(t))));
    this.metrics.activeTasks.set(0);
  }

  private async closeTask(t: ActiveTask, clean: boolean): Promise<void> {
    t.ready = false;
    let ends: Map<string, bigint> | undefined;
    if (clean && t.sub.changelogs.length > 0) {
      const marks = await watermarks(this.admin, t.sub.changelogs.map((c) => c.topic));
      ends = new Map(t.sub.changelogs.map((c) => [checkpointKey(c.topic, t.partition), marks.get(`${c.topic}:${t.partition}`)?.high ?? 0n]));
    }
    await t.handle.close().catch(() => undefined);
    await t.eos?.close();
    if (t.alos) await t.channel.flush().catch(() => undefined);
    await t.alos?.disconnect().catch(() => undefined);
    if (clean && !t.channel.failed) await t.checkpoint.write(ends ?? new Map());
  }

  // ---- consuming and processing ------------------------------------------------------

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    this.enqueue(payload);
    try {
      await payload.heartbeat();
    } catch (err) {
      // The group is rebalancing: commit and close the tasks now, before kafkajs rejoins
      // (an eager rebalance revokes everything), so the next owners start where we stopped.
      if (isRebalanceError(err)) await this.revokeBeforeRejoin();
      throw err;
    }
  }

  private async revokeBeforeRejoin(): Promise<void> {
    this.events.rebalancing(); // the tasks close now, before kafkajs reports the rebalance
    const consumer = this.consumer!;
    for (const topic of new Set(this.plan.subtopologies.flatMap((s) => s.sourceTopics))) consumer.pause([{ topic }]);
    for (const t of this.tasks.values()) t.ready = false;
    this.assigned.clear();
    await this.lock.run(() => this.closeAll(true)).catch((err) => this.events.fatal(err));
  }

  /**
   * Past `lastOffset` (a fetch's last offset, filtered records included) when nothing unread
   * lies before it: records up to it that kafkajs filtered out (markers, aborted records) are
   * stepped over, and committed once the task has processed what came before.
   */
  private skipFiltered(task: ActiveTask, topic: string, lastOffset: string, highWatermark: string): void {
    const next = BigInt(lastOffset) + 1n;
    if (next <= (task.next.get(topic) ?? 0n)) return;
    task.next.set(topic, next);
    task.handle.skipTo(topic, next);
    this.metrics.consumerLag.set({ topic, partition: String(task.partition) }, Math.max(0, Number(BigInt(highWatermark) - next)));
  }

  /** A fetch of filtered records only (a marker behind the last record) never reaches eachBatch. */
  private onFilteredFetch({ topic, partition, batchSize, firstOffset, lastOffset, highWatermark }: { topic: string; partition: number; batchSize: number; firstOffset: string | null; lastOffset: string; highWatermark: string }): void {
    if (batchSize !== 0 || firstOffset === null) return;
    const task = this.byPartition.get(`${topic}:${partition}`);
    if (!task || !task.ready || task.next.get(topic) !== BigInt(firstOffset)) return;
    this.skipFiltered(task, topic, lastOffset, highWatermark);
  }

  private enqueue({ batch, isStale }: EachBatchPayload): void {
    const key = `${batch.topic}:${batch.partition}`;
    const task = this.byPartition.get(key);
    if (!task || !task.ready || isStale()) return;
    const expected = task.next.get(batch.topic) ?? 0n;
    const records: RawRecord[] = [];
    for (const m of batch.messages) {
      const offset = BigInt(m.offset);
      if (offset < expected) continue;
      records.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        timestamp: Number(m.timestamp),
        headers: toHeaders(m.headers),
      });
    }
    if (records.length === 0) return;
    task.next.set(batch.topic, BigInt(records[records.length - 1]!.offset) + 1n);
    task.handle.addRecords(records);
    this.skipFiltered(task, batch.topic, batch.lastOffset(), batch.highWatermark);
    this.metrics.recordsConsumed.inc({ topic: batch.topic }, records.length);
    this.metrics.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - task.next.get(batch.topic)!)));
    if (task.handle.buffered(batch.topic) >= this.config.bufferedRecordsPerPartition && !this.pausedByBackpressure.has(key)) {
      this.pausedByBackpressure.add(key);
      this.metrics.backpressurePauses.inc({ topic: batch.topic });
      this.consumer!.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
    }
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let worked = 0;
      try {
        worked = await this.lock.run(() => this.runOnce());
      } catch (err) {
        this.halted = true;
        this.events.fatal(err);
        // As a Kafka Streams thread that dies: its tasks close dirty (nothing more of their
        // open transactions is committed) and it leaves the group, so the other instances take
        // its partitions instead of a member that heartbeats and never processes them.
        await this.lock.run(() => this.closeAll(false)).catch(() => undefined);
        await this.consumer?.disconnect().catch(() => undefined);
        return;
      }
      if (worked === 0 && this.running) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 20);
        });
        this.wake = undefined;
      }
    }
  }

  private async runOnce(): Promise<number> {
    let worked = 0;
    for (const t of [...this.tasks.values()]) {
      if (t.corrupted instanceof StreamsError && !t.corrupted.retriable) throw t.corrupted;
      if (t.corrupted !== undefined) await this.recoverTask(t);
    }
    for (const t of this.tasks.values()) {
      if (!t.ready || t.channel.congested) continue;
      const start = performance.now();
      const n = await t.handle.process(PROCESS_PER_ROUND).catch((err: unknown) => {
        // The task fails the instance: it closes dirty, its open transaction (the failed
        // record's partial output) is not committed, and the record is read again.
        t.corrupted = err;
        throw err;
      });
      if (n > 0) {
        worked += n;
        this.metrics.processLatency.observe((performance.now() - start) / 1000 / n);
      }
      this.resumeDrained(t);
    }
    const now = this.config.clock.now();
    for (const t of this.tasks.values()) {
      if (!t.ready) continue;
      await t.handle.punctuate(now);
      t.channel.linger(now, this.config.lingerMs);
    }
    if (worked > 0) this.metrics.bufferedRecords.set(this.buffered());
    if (now - this.lastCommit >= this.config.commitIntervalMs) {
      this.lastCommit = now;
      if (this.eos) await this.startCommits();
      else await this.commitAll();
    }
    this.purger?.maybePurge(now, this.tasks.values());
    return worked;
  }

  private buffered(): number {
    let n = 0;
    for (const t of this.tasks.values()) for (const topic of t.sub.sourceTopics) n += t.handle.buffered(topic);
    return n;
  }

  private resumeDrained(t: ActiveTask): void {
    for (const topic of t.sub.sourceTopics) {
      const key = `${topic}:${t.partition}`;
      if (this.pausedByBackpressure.has(key) && t.handle.buffered(topic) <= this.config.bufferedRecordsPerPartition / 2) {
        this.pausedByBackpressure.delete(key);
        this.consumer!.resume([{ topic, partitions: [t.partition] }]);
      }
    }
  }

  // ---- committing --------------------------------------------------------------------

  /**
   * exactly_once, on the commit interval: flushes each task's stores into its channel and
   * queues its transaction commit behind the output sent so far, without waiting for it;
   * the task goes on processing into the next transaction. A task whose previous commit
   * is still under way is skipped this time, and so is a task with neither new input offsets
   * nor output since its last commit.
   */
  private async startCommits(): Promise<void> {
    const due = [...this.tasks.values()].filter((t) => t.ready && !t.commitInFlight && t.corrupted === undefined);
    // The tasks' stores are independent: their LevelDB writes run concurrently, so a commit
    // round holds the loop for the slowest flush, not the sum of all (tens of tasks).
    await Promise.all(due.map((t) => t.handle.flush()));
    for (const t of due) {
      if (!t.ready || t.corrupted !== undefined) continue;
      const offsets = offsetsOf(t);
      // Nothing processed and nothing sent since the last commit: the open transaction is
      // empty (the broker does not know it yet), so there is nothing to commit.
      if (offsets.length === 0 && !t.channel.hasOutputSinceBarrier) continue;
      const start = performance.now();
      t.commitInFlight = t.eos!.commit(offsets).then(
        () => {
          markCommitted(t, offsets);
          this.metrics.commitLatency.observe((performance.now() - start) / 1000);
        },
        (err: unknown) => {
          t.corrupted = err;
          this.wake?.();
        },
      );
      void t.commitInFlight.finally(() => (t.commitInFlight = undefined));
    }
  }

  private async commitAll(): Promise<void> {
    const failed = await this.commitTasks([...this.tasks.values()]);
    for (const t of failed) await this.recoverTask(t);
  }

  /**
   * Commits `tasks`; returns those whose exactly-once commit failed (retriably: fenced,
   * stuck, timed out), which must not be used further. Under at_least_once a failed
   * offset commit (a rebalance started) is left to the next commit or to the new owner,
   * which reprocesses from the last committed offsets; a failed produce is fatal.
   */
  private async commitTasks(tasks: readonly ActiveTask[]): Promise<Set<ActiveTask>> {
    const failed = new Set<ActiveTask>();
    if (tasks.length === 0) return failed;
    const start = performance.now();
    if (this.eos) {
      await Promise.all(
        tasks.map(async (t) => {
          try {
            await t.commitInFlight;
            if (t.corrupted !== undefined) throw t.corrupted;
            await t.handle.flush();
            const offsets = offsetsOf(t);
            await t.eos!.commit(offsets);
            markCommitted(t, offsets);
          } catch (err) {
            // A task that already failed the instance (RECORD_TOO_LARGE, a record that failed
            // processing) closes dirty: at shutdown, or in a rebalance once the loop has stopped.
            const reported = err === t.corrupted && (!this.running || this.halted);
            if (!reported && (!(err instanceof StreamsError) || !err.retriable)) throw err;
            failed.add(t);
          }
        }),
      );
    } else {
      await Promise.all(tasks.map((t) => t.handle.flush()));
      await Promise.all(tasks.map((t) => t.channel.flush()));
      const offsets = tasks.flatMap((t) => offsetsOf(t));
      if (offsets.length > 0) {
        await this.consumer!.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset }))).then(
          () => tasks.forEach((t) => markCommitted(t, offsets)),
          () => undefined,
        );
      }
      if (this.running) await this.checkpointAll(tasks);
    }
    this.metrics.commitLatency.observe((performance.now() - start) / 1000);
    return failed;
  }

  /**
   * at_least_once: after a commit every task's stores are flushed and their changelog
   * writes acknowledged, so the changelog ends are a valid checkpoint: a restart after a
   * crash replays only the tail (records written after it may be applied twice, which
   * at-least-once allows).
   */
  private async checkpointAll(tasks: readonly ActiveTask[]): Promise<void> {
    const logged = tasks.filter((t) => t.sub.changelogs.length > 0);
    if (logged.length === 0) return;
    const marks = await watermarks(this.admin, logged.flatMap((t) => t.sub.changelogs.map((c) => c.topic)));
    await Promise.all(
      logged.map((t) =>
        t.checkpoint.write(new Map(t.sub.changelogs.map((c) => [checkpointKey(c.topic, t.partition), marks.get(`${c.topic}:${t.partition}`)?.high ?? 0n]))),
      ),
    );
  }

  /**
   * A task whose transaction failed: its local state may hold aborted writes and its
   * output was not committed. Close it dirty, wipe its folder, reopen it (new producer,
   * full restore) and reprocess from the last committed offsets. No record is skipped.
   */
  private async recoverTask(t: ActiveTask): Promise<void> {
    if (!this.eos) return;
    this.metrics.taskRecoveries.inc({ task: t.id });
    this.tasks.delete(t.id);
    for (const topic of t.sub.sourceTopics) {
      this.byPartition.delete(`${topic}:${t.partition}`);
      // Paused here until the reopened task resumes it; a stale backpressure mark would stop enqueue from pausing it again.
      this.pausedByBackpressure.delete(`${topic}:${t.partition}`);
    }
    for (const topic of t.sub.sourceTopics) this.consumer!.pause([{ topic, partitions: [t.partition] }]);
    await this.closeTask(t, false);
    await t.checkpoint.wipe();
    if (!this.running) return;
    const reopened = await this.openTask(t.id, Math.floor(this.config.cacheMaxBytes / Math.max(1, this.tasks.size + 1)));
    await this.seekAndResume([reopened]);
  }

  private partitionCounts = new Map<string, number>();

  /** Partition counts of every topic, read at start and at each assignment. */
  private async refreshPartitionCounts(): Promise<void> {
    const metadata = await this.admin.fetchTopicMetadata({ topics: [] });
    this.partitionCounts = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
  }

  /** For custom sink partitioners; a topic missing from the metadata is an error naming it. */
  partitionsFor(topic: string): number {
    const n = this.partitionCounts.get(topic);
    if (n === undefined || n === 0) {
      throw new StreamsError('SINK_TOPIC_MISSING', `sink topic ${topic} does not exist: its partitioner needs its partition count`, { context: { topic } });
    }
    return n;
  }

  private async ensureTopic(topic: string): Promise<void> {
    await createTopicsAndWait(this.admin, [{ topic, numPartitions: 1, replicationFactor: this.config.replicationFactor }]);
  }

  private outputOptions(taskId: string) {
    return {
      batchRecords: this.config.producerBatchRecords,
      limits: {
        maxBatchBytes: this.config.producerBatchBytes,
        maxRecordBytes: this.config.maxRecordBytes,
        onSendError: (err: unknown) => this.events.sendFailed?.(taskId, err),
        // The loop skips a congested task and may be waiting for 20 ms: go on at once.
        onUncongested: () => this.wake?.(),
      },
      maxInFlight: this.config.maxInFlightBatches,
      commitTimeoutMs: 30_000,
      now: () => this.config.clock.now(),
      onSent: (topic: string, n: number) => {
        this.metrics.recordsProduced.inc({ topic }, n);
        if (topic === this.config.dlqTopic) this.metrics.dlqRecords.inc({ topic }, n);
      },
    };
  }
}

/** Offsets of `t` that moved since its last commit. */
function offsetsOf(t: ActiveTask): OffsetsToCommit {
  return [...t.handle.committableOffsets()]
    .filter(([topic, offset]) => t.committed.get(topic) !== offset)
    .map(([topic, offset]) => ({ topic, partition: t.partition, offset }));
}

function markCommitted(t: ActiveTask, offsets: OffsetsToCommit): void {
  for (const o of offsets) if (o.partition === t.partition && t.sub.sourceTopics.includes(o.topic)) t.committed.set(o.topic, o.offset);
}

function isRebalanceError(err: unknown): boolean {
  const type = (err as { type?: string } | undefined)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'ILLEGAL_GENERATION' || type === 'NOT_COORDINATOR_FOR_GROUP';
}

function toHeaders(headers: IHeaders | undefined): Headers {
  const out: Headers = {};
  if (!headers) return out;
  for (const k in headers) {
    const v = headers[k];
    out[k] = Array.isArray(v) ? v[0] : v;
  }
  return out;
}
