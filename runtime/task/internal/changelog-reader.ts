import type { Consumer, Kafka } from 'kafkajs';
import type { RestoreRecord } from '../../state/batch-restore.ts';

interface Reading {
  readonly endOffset: bigint;
  position: bigint;
  queue: RestoreRecord[][];
  wake: (() => void) | undefined;
}

/**
 * Reads changelog partitions for restoration. kafkajs has no `assign()`, so the reader
 * is a consumer of its own single-member group (`<application.id>-restore-<instance>`,
 * deleted at close: private-groups.ts) subscribed to every changelog topic with all
 * partitions paused; `read()` seeks one partition, resumes it and yields batches until
 * the position reaches the end offset taken before reading. It reads committed data only, so aborted transactions are not
 * restored. Positions follow the batch events, which also see batches that held only
 * transaction markers.
 */
export class ChangelogReader {
  private readonly consumer: Consumer;
  private readonly readings = new Map<string, Reading>();
  private started = false;

  constructor(kafka: Kafka, groupId: string, private readonly topics: readonly string[]) {
    this.consumer = kafka.consumer({ groupId, readUncommitted: false, maxBytesPerPartition: 4 * 1024 * 1024, sessionTimeout: 30_000 });
  }

  async start(): Promise<void> {
    if (this.started || this.topics.length === 0) return;
    this.started = true;
    const c = this.consumer;
    const pauseUnread = () => {
      const pause = this.topics.map((topic) => ({ topic }));
      c.pause(pause);
      for (const key of this.readings.keys()) {
        const [topic, partition] = split(key);
        c.resume([{ topic, partitions: [partition] }]);
      }
    };
    c.on(c.events.GROUP_JOIN, pauseUnread);
    c.on(c.events.END_BATCH_PROCESS, ({ payload }) => {
      const r = this.readings.get(`${payload.topic}:${payload.partition}`);
      if (!r) return;
      // Ignore batches fetched before the seek (they start past the position).
      if (payload.firstOffset !== null && BigInt(payload.firstOffset) > r.position) return;
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > r.position) r.position = next;
      r.wake?.();
    });
    await c.connect();
    await c.subscribe({ topics: [...this.topics], fromBeginning: true });
    const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch, isStale }) => {
        const r = this.readings.get(`${batch.topic}:${batch.partition}`);
        if (!r || isStale()) return;
        const records: RestoreRecord[] = [];
        for (const m of batch.messages) {
          if (BigInt(m.offset) < r.position || BigInt(m.offset) >= r.endOffset || !m.key) continue;
          records.push({ key: m.key, value: m.value });
        }
        if (records.length > 0) r.queue.push(records);
        r.wake?.();
      },
    });
    await joined;
  }

  /** Yields the records of `topic`/`partition` from `from` up to (excluding) `endOffset`. */
  async *read(topic: string, partition: number, from: bigint, endOffset: bigint): AsyncGenerator<RestoreRecord[]> {
    if (from >= endOffset) return;
    const key = `${topic}:${partition}`;
    const r: Reading = { endOffset, position: from, queue: [], wake: undefined };
    this.readings.set(key, r);
    this.consumer.seek({ topic, partition, offset: from.toString() });
    this.consumer.resume([{ topic, partitions: [partition] }]);
    try {
      for (;;) {
        while (r.queue.length > 0) yield r.queue.shift()!;
        if (r.position >= endOffset) break;
        await new Promise<void>((resolve) => {
          r.wake = resolve;
          setTimeout(resolve, 500);
        });
        r.wake = undefined;
      }
      while (r.queue.length > 0) yield r.queue.shift()!;
    } finally {
      this.readings.delete(key);
      this.consumer.pause([{ topic, partitions: [partition] }]);
    }
  }

  async close(): Promise<void> {
    if (this.started) await this.consumer.disconnect().catch(() => undefined);
  }
}

function split(key: string): [string, number] {
  const i = key.lastIndexOf(':');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}
