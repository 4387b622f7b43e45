import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Topology } from '../dsl/topology.ts';
import type { CompiledTopology } from '../dsl/internal/compiled-topology.ts';
import type { ExceptionHandler } from '../errors/exception-handlers.ts';
import { consoleLogger, type Logger } from '../errors/logger.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { MetricsServer, type RouteHandler } from '../metrics/metrics-server.ts';
import { StreamsMetrics } from '../metrics/streams-metrics.ts';
import type { StateStore } from '../state/state-store.ts';
import { resolveConfig, type KafkaStreamsOptions, type ResolvedConfig } from './kafka-streams-config.ts';
import { createGlobalState } from './internal/global-state.ts';
import { GlobalStreamThread } from './internal/global-stream-thread.ts';
import { deletePrivateGroups, privateGroupIds } from './internal/private-groups.ts';
import { claimStateDir } from './internal/state-dir-claims.ts';
import { StreamTask } from './internal/stream-task.ts';
import { StreamTaskHandle } from './internal/stream-task-handle.ts';
import type { TaskSpec, TopologyPlan } from './internal/task-handle.ts';
import { TaskManager } from './internal/task-manager.ts';
import { STREAMS_STATES, StreamsStateMachine, type StateListener, type StreamsState } from './streams-state.ts';

export interface KafkaStreamsExtras {
  /** Default 'logAndContinue' (to the dead-letter topic). */
  deserializationExceptionHandler?: ExceptionHandler;
  /** Default 'logAndFail'. */
  processingExceptionHandler?: ExceptionHandler;
  logger?: Logger;
}

/**
 * Runs a topology against Kafka, as Kafka Streams' `KafkaStreams`: every instance with
 * the same application id joins one consumer group and runs a share of the tasks (one per
 * subtopology and input partition). `start()` validates the configuration, creates the
 * internal topics, starts the HTTP server (/metrics, /healthz, /readyz) and joins the
 * group; the state goes CREATED → REBALANCING → RUNNING. `close()` commits, closes the
 * tasks cleanly (checkpointing their stores) and leaves the group.
 */
export class KafkaStreams {
  private readonly machine = new StreamsStateMachine();
  private config: ResolvedConfig | undefined;
  private compiled: CompiledTopology | undefined;
  private manager: TaskManager | undefined;
  private server: MetricsServer | undefined;
  private global: GlobalStreamThread | undefined;
  private readonly pendingRoutes: [string, string, RouteHandler][] = [];
  private readonly liveTasks = new Map<string, StreamTask>();
  readonly metrics: StreamsMetrics;
  private readonly logger: Logger;
  /**
   * Names this instance's own consumer groups (changelog restoration, global stores), as
   * Kafka Streams' process id: unique per instance, so that two instances in one process
   * never share one (they would split the changelog partitions and neither could restore).
   */
  private readonly processId = `${process.pid}-${randomUUID()}`;
  /** Gives back `<stateDir>/<applicationId>` (held from `start()` to `close()`). */
  private releaseStateDir: (() => void) | undefined;

  constructor(
    private readonly topology: Topology,
    private readonly options: KafkaStreamsOptions & KafkaStreamsExtras,
  ) {
    this.logger = options.logger ?? consoleLogger;
    this.metrics = new StreamsMetrics({ application_id: String(options.applicationId) });
    this.metrics.setState('CREATED', STREAMS_STATES);
    this.machine.onChange((next) => this.metrics.setState(next, STREAMS_STATES));
  }

  get state(): StreamsState {
    return this.machine.state;
  }

  /** Called on every state change with (new state, old state). */
  setStateListener(listener: StateListener): void {
    this.machine.onChange(listener);
  }

  /** Adds an HTTP route to this instance's server (the interactive-query API). */
  route(method: string, prefix: string, handler: RouteHandler): void {
    if (this.server) this.server.route(method, prefix, handler);
    else this.pendingRoutes.push([method, prefix, handler]);
  }

  /** Where the HTTP server listens (after start). */
  httpAddress(): AddressInfo {
    if (!this.server) throw new StreamsError('NOT_STARTED', 'the HTTP server is not running');
    return this.server.address();
  }

  /**
   * The local instances of store `name` that can be queried, one per running active task
   * that has it. A task still restoring its stores, or closing in a rebalance, is left out
   * (as Kafka Streams' interactive queries refuse a store that is not RUNNING): while the
   * instance is REBALANCING, or `pendingStores(name)` is not empty, a key may be missing
   * here only for the moment, so callers answer "try again" rather than "not found" then.
   */
  localStores<S extends StateStore = StateStore>(name: string): { taskId: string; partition: number; store: S }[] {
    const result: { taskId: string; partition: number; store: S }[] = [];
    for (const task of this.liveTasks.values()) {
      if (!task.queryable) continue;
      const entry = task.stores.get(name);
      if (entry) result.push({ taskId: task.taskId, partition: task.partition, store: entry.store as S });
    }
    return result;
  }

  /**
   * The partitions of store `name` assigned to this instance whose task cannot be queried
   * yet, so `localStores` leaves them out: the task is opening or restoring its stores after
   * a rebalance, or recovering from a failed exactly-once commit (closed dirty, then reopened
   * with a new producer and restored from its changelog) while the instance stays RUNNING.
   * A key of such a partition is missing here only for the moment: answer "try again", not
   * "not found", as Kafka Streams tells a store that is not queryable yet
   * (InvalidStateStoreException) from a key held elsewhere. Empty unless the instance is
   * RUNNING or REBALANCING (a failed or closing instance will not serve them again).
   */
  pendingStores(name: string): { taskId: string; partition: number }[] {
    if (!this.manager || !this.compiled || (this.state !== 'RUNNING' && this.state !== 'REBALANCING')) return [];
    const holders = new Set(this.compiled.subtopologies.filter((s) => s.stores.some((st) => st.name === name)).map((s) => s.id));
    const result: { taskId: string; partition: number }[] = [];
    for (const taskId of this.manager.assignedTaskIds) {
      const [subtopology, partition] = taskId.split('_').map(Number) as [number, number];
      if (holders.has(subtopology) && this.liveTasks.get(taskId)?.queryable !== true) result.push({ taskId, partition });
    }
    return result;
  }

  async start(): Promise<void> {
    if (this.machine.state !== 'CREATED') throw new StreamsError('ILLEGAL_STATE', `start() called in state ${this.machine.state}`);
    const config = resolveConfig(this.options);
    this.config = config;
    const compiled = this.topology.compile({ applicationId: config.applicationId });
    this.compiled = compiled;
    this.releaseStateDir = claimStateDir(config.stateDir, config.applicationId);
    if (config.httpEnabled) {
      this.server = new MetricsServer({
        host: config.httpHost,
        port: config.httpPort,
        registry: this.metrics.registry,
        healthy: () => this.state !== 'ERROR' && this.state !== 'NOT_RUNNING',
        ready: () => this.state === 'RUNNING',
      });
      for (const [m, p, h] of this.pendingRoutes) this.server.route(m, p, h);
      try {
        await this.server.start();
      } catch (err) {
        // Still CREATED (a port in use): nothing else started, the folder is free again.
        this.server = undefined;
        this.releaseStateDir();
        throw err;
      }
    }
    this.machine.transition('REBALANCING');
    try {
      await this.startGlobal(config, compiled);
    } catch (err) {
      this.fail(err);
      throw err;
    }
    this.manager = new TaskManager(config, this.processId, planOf(compiled), (spec) => this.createTask(compiled, spec), this.metrics, {
      rebalancing: () => this.move('REBALANCING'),
      running: () => this.move('RUNNING'),
      fatal: (err) => this.fail(err),
      logger: this.logger,
      sendFailed: (taskId, err) => this.logger.error(`task ${taskId}: producing output failed: ${describeError(err)}`, { taskId, error: describeError(err), cause: describeError((err as Error | undefined)?.cause) }),
    });
    try {
      await this.manager.start();
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.machine.state === 'NOT_RUNNING' || this.machine.state === 'PENDING_SHUTDOWN') return;
    if (this.machine.state === 'CREATED') {
      this.machine.transition('PENDING_SHUTDOWN');
      this.machine.transition('NOT_RUNNING');
      return;
    }
    this.machine.transition('PENDING_SHUTDOWN');
    try {
      await this.manager?.close(); // deletes its restore group
      await this.global?.close();
      if (this.global && this.globalAdmin) {
        await deletePrivateGroups(this.globalAdmin, [privateGroupIds.global(this.config!.applicationId, this.processId)], this.logger);
      }
      await this.globalAdmin?.disconnect().catch(() => undefined);
    } finally {
      await this.server?.close();
      this.releaseStateDir?.();
      this.machine.transition('NOT_RUNNING');
    }
  }

  /** Builds the global stores from their topics (to the end) before any task starts. */
  private async startGlobal(config: ResolvedConfig, compiled: CompiledTopology): Promise<void> {
    if (compiled.globalSubtopologies.length === 0) return;
    const root = join(config.stateDir, config.applicationId);
    for (const sub of compiled.globalSubtopologies) await rm(join(root, `global-${sub.id}`), { recursive: true, force: true });
    const kafka = new Kafka({ clientId: `${config.clientId}-global`, brokers: config.bootstrapServers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    this.globalAdmin = admin;
    const state = await createGlobalState(
      compiled,
      { collector: { send: () => undefined }, clock: config.clock, logger: this.logger, deserializationExceptionHandler: 'logAndContinue' },
      (taskId) => join(root, taskId),
    );
    this.global = new GlobalStreamThread(kafka, privateGroupIds.global(config.applicationId, this.processId), admin, state);
    await this.global.start();
  }

  private globalAdmin: Admin | undefined;

  private createTask(compiled: CompiledTopology, spec: TaskSpec): StreamTaskHandle {
    const config = this.config!;
    const subtopology = compiled.subtopologies.find((s) => s.id === spec.subtopology.id)!;
    const processors = new Map<string, { n: number }>();
    const task = new StreamTask({
      topology: compiled,
      subtopology,
      partition: spec.partition,
      taskId: spec.taskId,
      collector: spec.collector,
      stateDir: spec.stateDir,
      cacheMaxBytes: spec.cacheMaxBytes,
      partitionsFor: spec.partitionsFor,
      clock: config.clock,
      globalStores: this.global?.stores,
      deadLetterTopic: config.dlqTopic,
      deserializationExceptionHandler: this.options.deserializationExceptionHandler,
      processingExceptionHandler: this.options.processingExceptionHandler,
      logger: this.logger,
      hooks: {
        onProcess: (name) => {
          let count = processors.get(name);
          if (!count) processors.set(name, (count = this.metrics.processorCount(name)));
          count.n++;
        },
      },
    });
    this.liveTasks.set(spec.taskId, task);
    const handle = new StreamTaskHandle(task);
    const close = handle.close.bind(handle);
    handle.close = async () => {
      if (this.liveTasks.get(spec.taskId) === task) this.liveTasks.delete(spec.taskId);
      await close();
    };
    return handle;
  }

  private move(next: 'REBALANCING' | 'RUNNING'): void {
    if (this.machine.state === 'REBALANCING' || this.machine.state === 'RUNNING') this.machine.transition(next);
  }

  private fail(err: unknown): void {
    this.logger.error('streams instance failed', { error: err instanceof Error ? err.stack ?? err.message : String(err) });
    if (this.machine.state !== 'ERROR' && this.machine.state !== 'PENDING_SHUTDOWN' && this.machine.state !== 'NOT_RUNNING') {
      this.machine.transition('ERROR');
    }
  }
}

function planOf(compiled: CompiledTopology): TopologyPlan {
  const configs = new Map(compiled.internalTopics.map((t) => [t.name, t.config]));
  return {
    subtopologies: compiled.subtopologies.map((s) => ({
      id: s.id,
      sourceTopics: s.sourceTopics,
      sinkTopics: [...new Set(s.sinkTopics.values())],
      changelogs: s.stores.filter((st) => st.changelogTopic !== null).map((st) => ({ store: st.name, topic: st.changelogTopic!, config: configs.get(st.changelogTopic!) })),
    })),
    repartitionTopics: compiled.internalTopics
      .filter((t) => t.kind !== 'changelog')
      .map((t) => ({ topic: t.name, partitions: t.numberOfPartitions, config: t.config, purge: t.kind === 'repartition' })),
  };
}

function describeError(err: unknown): string {
  if (err === undefined) return 'none';
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown; type?: unknown }).code ?? (err as { type?: unknown }).type;
  return `${err.name}${typeof code === 'string' ? ` ${code}` : ''}: ${err.message}`;
}
