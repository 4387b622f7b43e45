import type { Admin } from 'kafkajs';
import type { Logger } from '../../errors/logger.ts';

/** What the purger needs of a task: its partition and the committed input offsets. */
export interface CommittedPositions {
  readonly partition: number;
  /** Committed offset (the next to read) per source topic, as decimal text. */
  readonly committed: ReadonlyMap<string, string>;
}

/**
 * Repartition topics keep their records forever (`retention.ms=-1`: a record's event time
 * may be days old, and time-based retention would delete it before it is read) and are
 * purged instead: every `intervalMs`, the records before each partition's committed offset
 * are deleted (DeleteRecords), as Kafka Streams does (repartition.purge.interval.ms). Only
 * offsets that moved since the last purge are sent; one purge is in flight at a time, and
 * a failed one is logged and tried again at the next interval (nothing depends on it).
 */
export class RepartitionPurger {
  private readonly purged = new Map<string, bigint>();
  private lastPurge: number;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly topics: ReadonlySet<string>,
    private readonly intervalMs: number,
    now: number,
    private readonly logger: Logger,
  ) {
    this.lastPurge = now;
  }

  /** Starts a purge in the background when the interval has passed and offsets moved. */
  maybePurge(now: number, tasks: Iterable<CommittedPositions>): void {
    if (this.topics.size === 0 || this.inFlight || now - this.lastPurge < this.intervalMs) return;
    this.lastPurge = now;
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    const marks: [string, bigint][] = [];
    for (const t of tasks) {
      for (const [topic, committed] of t.committed) {
        if (!this.topics.has(topic)) continue;
        const offset = BigInt(committed);
        const key = `${topic}:${t.partition}`;
        if ((this.purged.get(key) ?? 0n) >= offset) continue;
        marks.push([key, offset]);
        const list = byTopic.get(topic) ?? [];
        list.push({ partition: t.partition, offset: offset.toString() });
        byTopic.set(topic, list);
      }
    }
    if (byTopic.size === 0) return;
    this.inFlight = Promise.all([...byTopic].map(([topic, partitions]) => this.admin.deleteTopicRecords({ topic, partitions })))
      .then(() => {
        for (const [key, offset] of marks) this.purged.set(key, offset);
      })
      .catch((err: unknown) => this.logger.warn(`purging repartition topics failed; tried again in ${this.intervalMs} ms: ${(err as Error).message}`, { topics: [...byTopic.keys()] }))
      .finally(() => (this.inFlight = undefined));
  }

  /** Waits for a purge under way (at close). */
  async drain(): Promise<void> {
    await this.inFlight;
  }
}
