import type { StateStore } from '../../state/state-store.ts';
import type { RawRecord, RecordCollector } from './record-collector.ts';

/** One subtopology as the task manager sees it: full topic names, after compilation. */
export interface SubtopologyPlan {
  readonly id: number;
  /** External and repartition topics this subtopology reads; co-partitioned. */
  readonly sourceTopics: readonly string[];
  /** Topics its sinks write (to size repartition topics by their upstream). */
  readonly sinkTopics: readonly string[];
  /**
   * Changelog topic of each logged store, `<application.id>-<store>-changelog`, with the
   * configs it is created with (default `cleanup.policy=compact`).
   */
  readonly changelogs: readonly { store: string; topic: string; config?: Readonly<Record<string, string>> }[];
}

/** What the task manager needs from a topology compiled for one application id. */
export interface TopologyPlan {
  readonly subtopologies: readonly SubtopologyPlan[];
  /**
   * Repartition topics and internal output topics (the late-events topic), full names,
   * with a fixed partition count if any (else worked out by partition-counts.ts) and their
   * topic configs; `purge`: deleted up to the committed offsets (repartition topics).
   */
  readonly repartitionTopics: readonly { topic: string; partitions: number | undefined; config?: Readonly<Record<string, string>>; purge?: boolean }[];
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Everything a task is built from. */
export interface TaskSpec {
  readonly taskId: string;
  readonly subtopology: SubtopologyPlan;
  readonly partition: number;
  /** Where the task sends output, repartition and changelog records (batched, transactional). */
  readonly collector: RecordCollector;
  /** `<state.dir>/<application.id>/<taskId>`. */
  readonly stateDir: string;
  /** This task's share of the instance's cache (statestore.cache.max.bytes / tasks). */
  readonly cacheMaxBytes: number;
  /** Partition count of a topic, for sinks with a custom partitioner (cluster metadata). */
  readonly partitionsFor: (topic: string) => number;
}

/**
 * The task as the task manager drives it. The StreamTask adapter implements it; tests
 * of the manager alone use a stand-in.
 */
export interface TaskHandle {
  readonly id: string;
  readonly partitions: readonly TopicPartition[];
  /** Stores with a changelog, by store name; initialized by `initializeStores`. */
  readonly changelogStores: ReadonlyMap<string, StateStore>;
  /** Opens the stores (before restoration). */
  initializeStores(): Promise<void>;
  /** Initializes processors, after restoration. */
  initializeProcessors(): Promise<void>;
  addRecords(records: readonly RawRecord[]): void;
  /**
   * The records of `topic` from the last one added up to `next` − 1 were filtered out by the
   * consumer (transaction markers, aborted records): once every added record is processed,
   * `next` may be committed.
   */
  skipTo(topic: string, next: bigint): void;
  /** Records buffered for one input partition and not processed yet. */
  buffered(topic: string): number;
  /** Processes up to `max` buffered records; resolves to how many were processed. */
  process(max: number): Promise<number>;
  /** Fires due wall-clock punctuators. */
  punctuate(now: number): Promise<void>;
  /** Next offset to commit per input topic (last processed + 1, or past a filtered tail once the topic's records are all processed). */
  committableOffsets(): ReadonlyMap<string, string>;
  /** Writes cached store changes down and to the changelog (before the commit). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type TaskFactory = (spec: TaskSpec) => TaskHandle;
