import type { Kafka, Producer, Transaction } from 'kafkajs';
import { StreamsError } from '../../errors/streams-error.ts';
import { kafkaPartitioner } from './default-partitioner.ts';
import { OutputChannel, type ChannelLimits } from './output-channel.ts';
import type { TopicPartition } from './task-handle.ts';

const TRANSACTIONAL_RETRY = { retries: 40, initialRetryTime: 20, factor: 0.2, multiplier: 1.5, maxRetryTime: 500 };

/** Input offsets to commit with a task's output: next offset to read per input partition. */
export type OffsetsToCommit = readonly (TopicPartition & { offset: string })[];

export interface OutputOptions {
  batchRecords: number;
  maxInFlight: number;
  onSent: (topic: string, count: number) => void;
  /** The clock for the linger time of partial batches. */
  now: () => number;
  /** How long a transaction commit may take before the producer counts as stuck. */
  commitTimeoutMs: number;
  /** Byte budget of one produce request and the largest record the broker takes. */
  limits: ChannelLimits;
}

/**
 * The exactly-once output of one task: a transactional producer with the id
 * `<application.id>-<taskId>` (one per task, since kafkajs has no KIP-447 group-fenced
 * commits). `begin()` fences any older producer with the same id and aborts its open
 * transaction. Each `commit(offsets)` puts the task's output, its changelog writes and its
 * input offsets (`sendOffsets`) in one transaction, commits it and starts the next,
 * while the task goes on processing into the channel. Any
 * failure (fenced, stuck in COMMITTING/ABORTING, timeout) throws a retriable
 * StreamsError `TASK_CORRUPTED`; the caller then calls `recreate()` and reprocesses
 * from the last committed offsets.
 */
export class TransactionalTaskOutput {
  readonly channel: OutputChannel;
  private producer: Producer | undefined;
  private txn: Transaction | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly transactionalId: string,
    private readonly groupId: string,
    private readonly options: OutputOptions,
  ) {
    this.channel = new OutputChannel(() => Promise.reject(new Error('no transaction')), options.batchRecords, options.maxInFlight, options.onSent, options.now, options.limits);
  }

  /** Creates the producer, fences older ones, begins the first transaction. */
  async begin(): Promise<void> {
    const producer = this.kafka.producer({
      transactionalId: this.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 60_000,
      createPartitioner: kafkaPartitioner(),
      // Back-to-back transactions meet CONCURRENT_TRANSACTIONS until the previous one's
      // markers are written: retry soon and often rather than backing off for seconds.
      retry: TRANSACTIONAL_RETRY,
    });
    this.producer = producer;
    await producer.connect();
    await this.nextTransaction();
  }

  /**
   * Commits the open transaction with `offsets` once everything sent before this call is
   * acknowledged, and begins the next one. Returns at once with the commit's promise:
   * the task may keep processing, its new output waits in the channel for the next
   * transaction. Rejects with TASK_CORRUPTED, or with a non-retriable StreamsError (such as
   * RECORD_TOO_LARGE) that reprocessing cannot fix.
   */
  commit(offsets: OffsetsToCommit): Promise<void> {
    return this.channel.barrier(() => withTimeout(this.commitSteps(offsets), this.options.commitTimeoutMs, 'transaction commit')).catch((err: unknown) => {
      if (err instanceof StreamsError && !err.retriable) throw err;
      throw this.corrupted(`commit failed: ${(err as Error).message}`, err);
    });
  }

  /** Drops the producer (aborting what it can) and builds a fresh one with the same id. */
  async recreate(): Promise<void> {
    await this.close();
    this.channel.reset();
    await this.begin();
  }

  /** Aborts the open transaction (nothing of it becomes visible) and disconnects. */
  async close(): Promise<void> {
    const producer = this.producer;
    const txn = this.txn;
    this.producer = undefined;
    this.txn = undefined;
    if (txn?.isActive()) await withTimeout(txn.abort(), 5_000, 'abort').catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  private async commitSteps(offsets: OffsetsToCommit): Promise<void> {
    const txn = this.txn;
    if (!txn) throw new Error('no open transaction');
    if (offsets.length > 0) {
      const byTopic = new Map<string, { partition: number; offset: string }[]>();
      for (const o of offsets) (byTopic.get(o.topic) ?? byTopic.set(o.topic, []).get(o.topic)!).push({ partition: o.partition, offset: o.offset });
      await txn.sendOffsets({ consumerGroupId: this.groupId, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
    }
    await txn.commit();
    await this.nextTransaction();
  }

  private async nextTransaction(): Promise<void> {
    const producer = this.producer;
    if (!producer) throw this.corrupted('producer closed');
    this.txn = await withTimeout(producer.transaction(), this.options.commitTimeoutMs, 'begin transaction');
    const txn = this.txn;
    this.channel.setSender((topicMessages) => txn.sendBatch({ topicMessages }));
  }

  private corrupted(message: string, cause?: unknown): StreamsError {
    return new StreamsError('TASK_CORRUPTED', `transactional producer ${this.transactionalId}: ${message}`, { cause, retriable: true });
  }
}

/**
 * The at-least-once output of one task: an idempotent producer and its channel. A commit
 * flushes every task's channel, then commits the consumer offsets.
 */
export class IdempotentOutput {
  private readonly producer: Producer;

  constructor(kafka: Kafka, private readonly options: OutputOptions) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkaPartitioner(), retry: { retries: 20, initialRetryTime: 50, maxRetryTime: 2_000 } });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  channel(): OutputChannel {
    return new OutputChannel(
      (topicMessages) => this.producer.sendBatch({ topicMessages }),
      this.options.batchRecords,
      this.options.maxInFlight,
      this.options.onSent,
      this.options.now,
      this.options.limits,
    );
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
