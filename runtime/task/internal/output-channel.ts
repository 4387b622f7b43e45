import type { TopicMessages } from 'kafkajs';
import { StreamsError } from '../../errors/streams-error.ts';
import { OutputBatch } from './output-batch.ts';
import type { OutgoingRecord, RecordCollector } from './record-collector.ts';

/** Sends one batch; a kafkajs producer's or transaction's `sendBatch`. */
export type BatchSender = (topicMessages: TopicMessages[]) => Promise<unknown>;

/**
 * A RecordCollector that produces in batches: records accumulate until `batchRecords`
 * are waiting, then go out in one `sendBatch`. Batches are sent one after another (the
 * idempotent and transactional kafkajs producers must not interleave requests to one
 * partition), so `pending` counts queued batches; while more than `maxInFlight` wait,
 * `congested` is true and the task manager stops feeding the task (backpressure). The
 * first failed send is kept and rethrown by `flush()`: nothing is dropped silently.
 * A partial batch goes out when `linger()` finds it older than the linger time, so that a
 * slow trickle of records is not held until the next commit.
 */
export class OutputChannel implements RecordCollector {
  private batch = new OutputBatch();
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown;
  private firstBufferedAt = 0;

  constructor(
    private sender: BatchSender,
    private readonly batchRecords: number,
    private readonly maxInFlight: number,
    private readonly onSent: (topic: string, count: number) => void = () => {},
    private readonly now: () => number = () => 0,
  ) {}

  send(record: OutgoingRecord): void {
    if (this.batch.size === 0) this.firstBufferedAt = this.now();
    this.batch.add(record);
    if (this.batch.size >= this.batchRecords) this.dispatch();
  }

  /** Sends a partial batch whose first record has waited `lingerMs` (the producer's linger.ms). */
  linger(now: number, lingerMs: number): void {
    if (this.batch.size > 0 && now - this.firstBufferedAt >= lingerMs) this.dispatch();
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
    this.dispatch();
    this.pending++;
    const done = this.tail.then(async () => {
      try {
        if (this.failure !== undefined) throw this.failure;
        await step();
      } catch (err) {
        this.failure ??= err;
        throw new StreamsError('PRODUCE_FAILED', `producing output failed: ${describe(err)}`, { cause: err, retriable: true });
      } finally {
        this.pending--;
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
        this.failure ??= err;
      } finally {
        this.pending--;
      }
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
