import type { TopicMessages } from 'kafkajs';
import { StreamsError } from '../../errors/streams-error.ts';
import { OutputBatch, recordBytes } from './output-batch.ts';
import type { OutgoingRecord, RecordCollector } from './record-collector.ts';

/** Sends one batch; a kafkajs producer's or transaction's `sendBatch`. */
export type BatchSender = (topicMessages: TopicMessages[]) => Promise<unknown>;

/** Byte limits of the produce requests a channel sends. */
export interface ChannelLimits {
  /** A batch goes out before it holds more than this many bytes of keys, values and headers. */
  maxBatchBytes: number;
  /** A record larger than this (the broker's message.max.bytes) fails the task: RECORD_TOO_LARGE. */
  maxRecordBytes: number;
  /** Called once per failure, with the error, when a send fails and kafkajs calls it non-retriable (or it is RECORD_TOO_LARGE). */
  onSendError?: (error: unknown) => void;
  /** Called when the channel stops being congested, so that whoever stopped feeding it may go on at once. */
  onUncongested?: () => void;
}

const DEFAULT_LIMITS: ChannelLimits = { maxBatchBytes: 512 * 1024, maxRecordBytes: 1_000_000 };

/**
 * A RecordCollector that produces in batches: records accumulate until `batchRecords`
 * are waiting, then go out in one `sendBatch`. Batches are sent one after another (the
 * idempotent and transactional kafkajs producers must not interleave requests to one
 * partition), so `pending` counts queued batches; while more than `maxInFlight` wait,
 * `congested` is true and the task manager stops feeding the task (backpressure). The
 * first failed send is kept and rethrown by `flush()`: nothing is dropped silently.
 * A partial batch goes out when `linger()` finds it older than the linger time, so that a
 * slow trickle of records is not held until the next commit.
 * A batch is also sent before it exceeds `maxBatchBytes`, so that no produce request (nor
 * the record batch of one partition in it) exceeds the broker's message.max.bytes; the
 * pieces go out one after another into the same transaction. A record larger than
 * `maxRecordBytes` can never be sent: it fails the channel with the non-retriable
 * RECORD_TOO_LARGE, as does the broker's MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE;
 * `flush()` and `barrier()` rethrow a non-retriable failure as it is.
 */
export class OutputChannel implements RecordCollector {
  private batch = new OutputBatch();
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown;
  private firstBufferedAt = 0;
  private sentSinceBarrier = 0;

  constructor(
    private sender: BatchSender,
    private readonly batchRecords: number,
    private readonly maxInFlight: number,
    private readonly onSent: (topic: string, count: number) => void = () => {},
    private readonly now: () => number = () => 0,
    private readonly limits: ChannelLimits = DEFAULT_LIMITS,
  ) {}

  send(record: OutgoingRecord): void {
    this.sentSinceBarrier++;
    const bytes = recordBytes(record);
    if (bytes > this.limits.maxRecordBytes) {
      const where = record.partition === undefined ? `topic ${record.topic} (partition by key)` : `topic ${record.topic} partition ${record.partition}`;
      this.fail(
        new StreamsError('RECORD_TOO_LARGE', `record of ${bytes} bytes for ${where} exceeds the ${this.limits.maxRecordBytes}-byte limit (message.max.bytes)`, {
          context: { topic: record.topic, ...(record.partition === undefined ? {} : { partition: record.partition }) },
        }),
      );
      return;
    }
    if (this.batch.size > 0 && this.batch.bytes + bytes > this.limits.maxBatchBytes) this.dispatch();
    if (this.batch.size === 0) this.firstBufferedAt = this.now();
    this.batch.add(record, bytes);
    if (this.batch.size >= this.batchRecords || this.batch.bytes >= this.limits.maxBatchBytes) this.dispatch();
  }

  /** Sends a partial batch whose first record has waited `lingerMs` (the producer's linger.ms). */
  linger(now: number, lingerMs: number): void {
    if (this.batch.size > 0 && now - this.firstBufferedAt >= lingerMs) this.dispatch();
  }

  /** Whether records were sent since the last `barrier` (a transaction commit would carry them). */
  get hasOutputSinceBarrier(): boolean {
    return this.sentSinceBarrier > 0;
  }

  get congested(): boolean {
    return this.pending > this.maxInFlight;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Points later batches at another sender (the next transaction of the same producer). */
  setSender(sender: BatchSender): void {
    this.sender = sender;
  }

  /** Sends what is buffered and waits until every batch is acknowledged. */
  async flush(): Promise<void> {
    this.dispatch();
    await this.tail;
    if (this.failure !== undefined) {
      const cause = this.failure;
      if (isFatal(cause)) throw cause;
      throw new StreamsError('PRODUCE_FAILED', `producing output failed: ${describe(cause)}`, { cause, retriable: true });
    }
  }

  /**
   * Sends what is buffered, then runs `step` after every batch queued so far has been
   * acknowledged (a transaction commit). Batches sent after the call go out after `step`,
   * so the caller may keep producing while it runs. Rejects, without running `step`, when
   * an earlier batch failed, and with the step's error when it fails; either failure is
   * kept, so later batches are not sent.
   */
  barrier(step: () => Promise<void>): Promise<void> {
    this.sentSinceBarrier = 0;
    this.dispatch();
    this.pending++;
    const done = this.tail.then(async () => {
      try {
        if (this.failure !== undefined) throw this.failure;
        await step();
      } catch (err) {
        this.failure ??= err;
        if (isFatal(this.failure)) throw this.failure;
        throw new StreamsError('PRODUCE_FAILED', `producing output failed: ${describe(err)}`, { cause: err, retriable: true });
      } finally {
        this.settled();
      }
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Forgets buffered records and the failure (after an aborted transaction). */
  reset(): void {
    this.batch = new OutputBatch();
    this.failure = undefined;
  }

  /** One queued batch or barrier is done; reports the end of a congestion. */
  private settled(): void {
    const wasCongested = this.congested;
    this.pending--;
    if (wasCongested && !this.congested) this.limits.onUncongested?.();
  }

  /** Keeps the first failure; a non-retriable one is reported once. */
  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    if (isFatal(err) || (err as { retriable?: unknown } | undefined)?.retriable === false) this.limits.onSendError?.(err);
  }

  private dispatch(): void {
    if (this.batch.size === 0) return;
    const batch = this.batch;
    this.batch = new OutputBatch();
    this.pending++;
    this.tail = this.tail.then(async () => {
      try {
        if (this.failure === undefined) {
          // The sender is read when the batch goes out, after any barrier queued before it.
          await this.sender(batch.toTopicMessages());
          for (const [topic, n] of batch.countsByTopic()) this.onSent(topic, n);
        }
      } catch (err) {
        if (this.failure === undefined) this.fail(classify(err));
      } finally {
        this.settled();
      }
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The broker's answer to a record (batch) over message.max.bytes, as RECORD_TOO_LARGE; other errors as they are. */
function classify(err: unknown): unknown {
  const type = (err as { type?: string } | undefined)?.type;
  if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') {
    return new StreamsError('RECORD_TOO_LARGE', `the broker rejected a produce request as too large: ${describe(err)}`, { cause: err });
  }
  return err;
}

/** A failure retrying cannot fix: the task must fail rather than reprocess. */
function isFatal(err: unknown): err is StreamsError {
  return err instanceof StreamsError && !err.retriable;
}
