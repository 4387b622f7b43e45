import type { Headers } from '../../processor/record.ts';

export interface LoggedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * The topics of a test driver, in memory: per topic, every record in the order it was
 * written, across partitions, with the offset it got in its partition.
 */
export class TopicLog {
  private readonly records = new Map<string, LoggedRecord[]>();
  private readonly nextOffsets = new Map<string, number>();

  append(topic: string, partition: number, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): LoggedRecord {
    const slot = `${topic}\u0000${partition}`;
    const offset = this.nextOffsets.get(slot) ?? 0;
    this.nextOffsets.set(slot, offset + 1);
    const record: LoggedRecord = { topic, partition, offset, key, value, timestamp, headers };
    let list = this.records.get(topic);
    if (list === undefined) this.records.set(topic, (list = []));
    list.push(record);
    return record;
  }

  read(topic: string): readonly LoggedRecord[] {
    return this.records.get(topic) ?? [];
  }

  topics(): string[] {
    return [...this.records.keys()];
  }
}
