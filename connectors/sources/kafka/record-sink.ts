import { Partitioners, type Message, type Producer } from 'kafkajs';

export interface SinkMessage {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface RecordSinkOptions {
  /** Messages (over all topics) per produce request. */
  batchSize: number;
  /**
   * Bytes per partition per request. Each partition's share of a request is one record
   * batch, which the broker refuses above message.max.bytes (1 MiB by default).
   */
  maxPartitionBytes: number;
  /** Bytes per request over all partitions. */
  maxRequestBytes: number;
}

export const SINK_DEFAULTS: RecordSinkOptions = { batchSize: 20_000, maxPartitionBytes: 900_000, maxRequestBytes: 8_000_000 };

type Partitioner = (args: { topic: string; partitionMetadata: { partitionId: number; leader: number }[]; message: Message }) => number;

/**
 * Batches messages into `sendBatch` requests on an idempotent kafkajs producer. One
 * request is in flight at a time (kafkajs assigns idempotent sequence numbers per
 * request, so concurrent requests to one partition would collide); the next batch fills
 * while the current one is on the wire. Partitions are chosen here, with the Java client's
 * murmur2 rule that kafkajs would apply, so that each partition's bytes can be bounded:
 * requests then grow to many partition batches instead of one small batch per request.
 * A failed request fails the next `write` or `flush`. `acked` counts acknowledged messages.
 */
export class RecordSink {
  acked = 0;
  private buffers = new Map<string, Message[]>();
  private partitionBytes = new Map<string, number[]>();
  private buffered = 0;
  private bufferedBytes = 0;
  private inFlight: Promise<void> | null = null;
  private error: unknown = null;
  private readonly partitioner: Partitioner = Partitioners.DefaultPartitioner() as unknown as Partitioner;
  private readonly metadata = new Map<string, { partitionId: number; leader: number }[]>();

  /** `partitions`: partition count per topic; topics not in it are left to kafkajs (one batch per request). */
  constructor(
    private readonly producer: Producer,
    private readonly options: RecordSinkOptions = SINK_DEFAULTS,
    partitions: ReadonlyMap<string, number> = new Map(),
  ) {
    for (const [topic, n] of partitions) this.metadata.set(topic, Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 0 })));
  }

  /** Buffers one message; resolves at once unless a full batch must wait for the previous one. */
  async write(topic: string, message: SinkMessage): Promise<void> {
    this.throwIfFailed();
    let list = this.buffers.get(topic);
    if (!list) this.buffers.set(topic, (list = []));
    const size = message.value.length + message.key.length + 64;
    const metadata = this.metadata.get(topic);
    let full: boolean;
    if (metadata) {
      const partition = this.partitioner({ topic, partitionMetadata: metadata, message });
      list.push({ ...message, partition });
      let bytes = this.partitionBytes.get(topic);
      if (!bytes) this.partitionBytes.set(topic, (bytes = new Array<number>(metadata.length).fill(0)));
      full = (bytes[partition] = (bytes[partition] ?? 0) + size) >= this.options.maxPartitionBytes;
    } else {
      list.push(message);
      full = this.bufferedBytes + size >= this.options.maxPartitionBytes;
    }
    this.bufferedBytes += size;
    if (full || ++this.buffered >= this.options.batchSize || this.bufferedBytes >= this.options.maxRequestBytes) await this.dispatch();
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
    const topicMessages = [...this.buffers].filter(([, m]) => m.length > 0).map(([topic, messages]) => ({ topic, messages }));
    const count = topicMessages.reduce((n, t) => n + t.messages.length, 0);
    if (count === 0) return;
    this.buffers = new Map();
    this.partitionBytes = new Map();
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
