import type { Headers } from '../../processor/record.ts';

/** A serialized record on its way out of a task (to a sink, repartition or changelog topic). */
export interface OutgoingRecord {
  topic: string;
  /** Explicit partition (changelogs use the task's partition); otherwise the key decides. */
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: Headers;
}

/**
 * Where a task sends what it produces. The Kafka runtime buffers these and produces
 * them in batches inside the task's transaction; the test driver keeps them in memory.
 */
export interface RecordCollector {
  send(record: OutgoingRecord): void;
}

/** A consumed record as a task receives it, still in bytes. */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: Headers;
}
