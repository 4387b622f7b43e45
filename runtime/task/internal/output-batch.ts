import type { Message, TopicMessages } from 'kafkajs';
import { groupedLinearly } from './partition-grouping.ts';
import type { OutgoingRecord } from './record-collector.ts';

/**
 * Groups outgoing records by topic, in send order, into the `topicMessages` shape of one
 * kafkajs `sendBatch` call. Records without a partition are placed by kafkajs' default
 * partitioner (murmur2 of the key, as the Java client does). kafkajs groups each topic's
 * messages per partition in linear time (partition-grouping.ts).
 */
export class OutputBatch {
  private readonly byTopic = new Map<string, Message[]>();
  private count = 0;
  private byteCount = 0;

  add(record: OutgoingRecord, bytes = recordBytes(record)): void {
    let messages = this.byTopic.get(record.topic);
    if (!messages) {
      messages = [];
      this.byTopic.set(record.topic, messages);
    }
    const message: Message = { key: record.key, value: record.value, timestamp: String(record.timestamp) };
    if (record.partition !== undefined) message.partition = record.partition;
    const headers = record.headers;
    for (const k in headers) {
      const v = headers[k];
      if (v !== undefined) (message.headers ??= {})[k] = v;
    }
    messages.push(message);
    this.count++;
    this.byteCount += bytes;
  }

  get size(): number {
    return this.count;
  }

  /** Serialized key + value + headers of the records added (see `recordBytes`). */
  get bytes(): number {
    return this.byteCount;
  }

  /** Number of records per topic, for the produced-records metric. */
  countsByTopic(): [string, number][] {
    return [...this.byTopic].map(([topic, messages]) => [topic, messages.length]);
  }

  toTopicMessages(): TopicMessages[] {
    return [...this.byTopic].map(([topic, messages]) => ({ topic, messages: groupedLinearly(messages) }));
  }
}

/** Serialized size of a record's key, value and headers (names and values), in bytes. */
export function recordBytes(record: OutgoingRecord): number {
  let n = byteLength(record.key) + byteLength(record.value);
  const headers = record.headers;
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined) n += Buffer.byteLength(k) + byteLength(v);
  }
  return n;
}

function byteLength(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}
