import type { StreamTask } from './stream-task.ts';
import type { StateStore } from '../../state/state-store.ts';
import type { RawRecord } from './record-collector.ts';
import type { TaskHandle, TopicPartition } from './task-handle.ts';

/** A FIFO of consumed records of one input partition (array with a moving head). */
class RecordQueue {
  private items: RawRecord[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }
  peek(): RawRecord | undefined {
    return this.items[this.head];
  }
  push(records: readonly RawRecord[]): void {
    for (const r of records) this.items.push(r);
  }
  shift(): RawRecord {
    const r = this.items[this.head++]!;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return r;
  }
}

/**
 * Drives a StreamTask for the task manager: one bounded queue per input partition,
 * records taken in timestamp order across co-partitioned inputs (the head with the
 * smallest timestamp first, as Kafka Streams' partition group does), and the offset of
 * the last processed record of each input, which is what gets committed: the offset after
 * it, or, once an input's queue is empty, the offset after the records the consumer filtered
 * out behind it (a transaction's marker, aborted records), as Kafka Streams commits the
 * consumer's position. Without that, every input written in transactions would stay one or
 * two offsets short of its end (a lag that never reaches 0).
 */
export class StreamTaskHandle implements TaskHandle {
  readonly id: string;
  readonly partitions: readonly TopicPartition[];
  private readonly queues = new Map<string, RecordQueue>();
  private readonly processed = new Map<string, string>();
  /** Offset of the last record added per input: the skip applies once it is the last processed. */
  private readonly added = new Map<string, string>();
  private readonly skip = new Map<string, bigint>();
  private readonly stores = new Map<string, StateStore>();

  constructor(private readonly task: StreamTask) {
    this.id = task.taskId;
    this.partitions = task.subtopology.sourceTopics.map((topic) => ({ topic, partition: task.partition }));
    for (const topic of task.subtopology.sourceTopics) this.queues.set(topic, new RecordQueue());
  }

  get changelogStores(): ReadonlyMap<string, StateStore> {
    return this.stores;
  }

  async initializeStores(): Promise<void> {
    await this.task.initStores();
    for (const [name, { store, changelogTopic }] of this.task.stores) if (changelogTopic !== null) this.stores.set(name, store);
  }

  initializeProcessors(): Promise<void> {
    return this.task.initProcessors();
  }

  addRecords(records: readonly RawRecord[]): void {
    if (records.length === 0) return;
    const topic = records[0]!.topic;
    this.queues.get(topic)?.push(records);
    this.added.set(topic, records[records.length - 1]!.offset);
  }

  skipTo(topic: string, next: bigint): void {
    if (next > (this.skip.get(topic) ?? -1n)) this.skip.set(topic, next);
  }

  buffered(topic: string): number {
    return this.queues.get(topic)?.size ?? 0;
  }

  async process(max: number): Promise<number> {
    let n = 0;
    while (n < max) {
      const queue = this.next();
      if (!queue) break;
      const raw = queue.shift();
      const pending = this.task.process(raw);
      if (pending !== undefined) await pending;
      this.processed.set(raw.topic, raw.offset);
      n++;
    }
    return n;
  }

  async punctuate(): Promise<void> {
    await this.task.punctuateWallClockTime();
  }

  committableOffsets(): ReadonlyMap<string, string> {
    const result = new Map<string, string>();
    for (const [topic, offset] of this.processed) result.set(topic, (BigInt(offset) + 1n).toString());
    for (const [topic, next] of this.skip) {
      // Every added record processed, not merely taken off the queue: one that threw stays the
      // offset to commit (it is read again), however many filtered records lie behind it.
      if (this.buffered(topic) > 0 || this.processed.get(topic) !== this.added.get(topic)) continue;
      const at = result.get(topic);
      if (at === undefined || next > BigInt(at)) result.set(topic, next.toString());
    }
    return result;
  }

  flush(): Promise<void> {
    return this.task.commit();
  }

  close(): Promise<void> {
    return this.task.close();
  }

  private next(): RecordQueue | undefined {
    let best: RecordQueue | undefined;
    for (const q of this.queues.values()) {
      const head = q.peek();
      if (head && (!best || head.timestamp < best.peek()!.timestamp)) best = q;
    }
    return best;
  }
}
