import type { Message, Producer } from 'kafkajs';

export interface SinkMessage {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface RecordSinkOptions {
  /** Messages (over all topics) per produce request. */
  batchSize: number;
  /**
   * Key and value bytes per produce request. A partition's share of a request is one
   * record batch, which the broker refuses above message.max.bytes (1 MiB by default), so
   * the whole request stays below it.
   */
  maxBytes: number;
}

/**
 * Measured with benchmarks/producer.bench.ts: requests of about 1 MB cost the least CPU per
 * record; larger ones (4-8 MB) cost 20-30% more, their records
 * living long enough to be promoted by the garbage collector.
 */
export const SINK_DEFAULTS: RecordSinkOptions = { batchSize: 4000, maxBytes: 900_000 };

/**
 * Batches messages into `sendBatch` requests on an idempotent kafkajs producer. One
 * request is in flight at a time (kafkajs assigns idempotent sequence numbers per
 * request, so concurrent requests to one partition would collide); the next batch fills
 * while the current one is on the wire. A failed request fails the next `write` or
 * `flush`. `acked` counts messages the broker acknowledged.
 */
export class RecordSink {
  acked = 0;
  private buffers = new Map<string, Message[]>();
  private buffered = 0;
  private bufferedBytes = 0;
  private inFlight: Promise<void> | null = null;
  private error: unknown = null;

  constructor(private readonly producer: Producer, private readonly options: RecordSinkOptions = SINK_DEFAULTS) {}

  /** Buffers one message; resolves at once unless a full batch must wait for the previous one. */
  async write(topic: string, message: SinkMessage): Promise<void> {
    this.throwIfFailed();
    let list = this.buffers.get(topic);
    if (!list) this.buffers.set(topic, (list = []));
    list.push(message);
    this.bufferedBytes += message.value.length + message.key.length;
    if (++this.buffered >= this.options.batchSize || this.bufferedBytes >= this.options.maxBytes) await this.dispatch();
  }

  /** Sends everything buffered and waits until the broker has acknowledged it all. */
  async flush(): Promise<void> {
    await this.dispatch();
    await this.inFlight;
    this.throwIfFailed();
  }

  private async dispatch(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    this.throwIfFailed();
    if (this.buffered === 0) return;
    const topicMessages = [...this.buffers].map(([topic, messages]) => ({ topic, messages }));
    const count = this.buffered;
    this.buffers = new Map();
    this.buffered = 0;
    this.bufferedBytes = 0;
    this.inFlight = this.producer.sendBatch({ topicMessages, acks: -1 }).then(
      () => {
        this.acked += count;
        this.inFlight = null;
      },
      (err: unknown) => {
        this.error ??= err;
        this.inFlight = null;
      },
    );
  }

  private throwIfFailed(): void {
    if (this.error) throw this.error;
  }
}
