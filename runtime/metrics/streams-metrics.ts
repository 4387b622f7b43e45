import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The metrics of one KafkaStreams instance, in its own prom-client registry (so that two
 * instances in one process do not collide). Names follow Prometheus conventions:
 * `streamhouse_` prefix, base units (seconds, records), `_total` for counters.
 *
 * - records in/out: `streamhouse_records_consumed_total{topic}`, `streamhouse_records_produced_total{topic}`,
 *   and per processor node `streamhouse_processor_records_total{processor}`.
 * - latency: `streamhouse_process_latency_seconds` (mean time per record of each processed
 *   batch, observed once per batch to keep the hot path cheap), `streamhouse_commit_latency_seconds`.
 * - `streamhouse_consumer_lag_records{topic,partition}`: high watermark minus next offset to process.
 * - restoration: `streamhouse_restore_records_restored{task,store}` of `streamhouse_restore_records_total{task,store}`.
 * - `streamhouse_dlq_records_total{topic}`, `streamhouse_rebalances_total`, `streamhouse_tasks_active`.
 * - backpressure: `streamhouse_backpressure_pauses_total{topic}`, `streamhouse_buffered_records`.
 * - `streamhouse_task_recoveries_total{task}`: exactly-once tasks reopened after a failed commit.
 */
export class StreamsMetrics {
  readonly registry: Registry;
  readonly recordsConsumed: Counter<'topic'>;
  readonly recordsProduced: Counter<'topic'>;
  readonly processorRecords: Counter<'processor'>;
  readonly processLatency: Histogram;
  readonly commitLatency: Histogram;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly restoreRestored: Gauge<'task' | 'store'>;
  readonly restoreTotal: Gauge<'task' | 'store'>;
  readonly dlqRecords: Counter<'topic'>;
  readonly rebalances: Counter;
  readonly backpressurePauses: Counter<'topic'>;
  readonly taskRecoveries: Counter<'task'>;
  readonly bufferedRecords: Gauge;
  readonly activeTasks: Gauge;
  readonly state: Gauge<'state'>;

  private readonly pendingProcessorRecords = new Map<string, { n: number }>();

  /**
   * A plain count of the records processor `name` processed, for the hot path (one
   * increment per record and node instead of a prom-client label lookup); it is added to
   * `streamhouse_processor_records_total` whenever the metrics are read.
   */
  processorCount(name: string): { n: number } {
    let count = this.pendingProcessorRecords.get(name);
    if (count === undefined) this.pendingProcessorRecords.set(name, (count = { n: 0 }));
    return count;
  }

  constructor(labels: Record<string, string> = {}) {
    this.registry = new Registry();
    this.registry.setDefaultLabels(labels);
    const registers = [this.registry];
    this.recordsConsumed = new Counter({
      name: 'streamhouse_records_consumed_total',
      help: 'Records consumed from input topics.',
      labelNames: ['topic'],
      registers,
    });
    this.recordsProduced = new Counter({
      name: 'streamhouse_records_produced_total',
      help: 'Records produced to output, repartition, changelog and dead-letter topics.',
      labelNames: ['topic'],
      registers,
    });
    const pending = this.pendingProcessorRecords;
    this.processorRecords = new Counter({
      name: 'streamhouse_processor_records_total',
      help: 'Records processed by each processor node.',
      labelNames: ['processor'],
      registers,
      // The per-record counts of processorCount, folded in when the metrics are read.
      collect(this: Counter<'processor'>) {
        for (const [processor, count] of pending) {
          if (count.n === 0) continue;
          this.inc({ processor }, count.n);
          count.n = 0;
        }
      },
    });
    this.processLatency = new Histogram({
      name: 'streamhouse_process_latency_seconds',
      help: 'Mean processing time per record of each processed batch.',
      buckets: [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 0.1],
      registers,
    });
    this.commitLatency = new Histogram({
      name: 'streamhouse_commit_latency_seconds',
      help: 'Duration of one commit (store flush, output flush, offsets or transaction commit).',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'streamhouse_consumer_lag_records',
      help: 'High watermark minus the next offset to process, per input partition.',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.restoreRestored = new Gauge({
      name: 'streamhouse_restore_records_restored',
      help: 'Changelog records restored so far into each store of each task.',
      labelNames: ['task', 'store'],
      registers,
    });
    this.restoreTotal = new Gauge({
      name: 'streamhouse_restore_records_total',
      help: 'Changelog records to restore into each store of each task.',
      labelNames: ['task', 'store'],
      registers,
    });
    this.dlqRecords = new Counter({
      name: 'streamhouse_dlq_records_total',
      help: 'Records written to the dead-letter topic.',
      labelNames: ['topic'],
      registers,
    });
    this.rebalances = new Counter({ name: 'streamhouse_rebalances_total', help: 'Consumer group rebalances.', registers });
    this.backpressurePauses = new Counter({
      name: 'streamhouse_backpressure_pauses_total',
      help: 'Input partitions paused because their task buffer was full (output or processing not keeping up).',
      labelNames: ['topic'],
      registers,
    });
    this.taskRecoveries = new Counter({
      name: 'streamhouse_task_recoveries_total',
      help: 'Tasks reopened after a failed exactly-once commit (fenced or stuck producer): state wiped, restored, reprocessed.',
      labelNames: ['task'],
      registers,
    });
    this.bufferedRecords = new Gauge({
      name: 'streamhouse_buffered_records',
      help: 'Consumed records waiting in task buffers, after the last batch.',
      registers,
    });
    this.activeTasks = new Gauge({ name: 'streamhouse_tasks_active', help: 'Tasks running in this instance.', registers });
    this.state = new Gauge({
      name: 'streamhouse_state',
      help: 'The instance state: 1 for the current one, 0 for the others.',
      labelNames: ['state'],
      registers,
    });
  }

  /** Marks `current` as the one state with value 1. */
  setState(current: string, all: readonly string[]): void {
    for (const s of all) this.state.set({ state: s }, s === current ? 1 : 0);
  }
}
