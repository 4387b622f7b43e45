import type { Processor } from '../../processor/processor.ts';
import type { StreamRecord } from '../../processor/record.ts';
import type { StreamPartitioner } from '../../processor/stream-partitioner.ts';
import type { Serde } from '../../serde/serde.ts';
import type { RecordCollector } from './record-collector.ts';

/**
 * The processor behind a sink node: serializes the record with the sink's serdes and
 * hands it to the collector. A custom partitioner gets the topic's partition count
 * from `partitionsFor`; without one (or when it returns undefined) the producer's
 * default partitioner decides from the key bytes.
 */
export class SinkProcessor implements Processor<unknown, unknown> {
  constructor(
    private readonly topic: string,
    private readonly keySerde: Serde<unknown>,
    private readonly valueSerde: Serde<unknown>,
    private readonly collector: RecordCollector,
    private readonly partitioner: StreamPartitioner<unknown, unknown> | undefined,
    private readonly partitionsFor: ((topic: string) => number) | undefined,
    private readonly onSend: ((topic: string) => void) | undefined,
  ) {}

  process(record: StreamRecord<unknown, unknown>): void {
    const topic = this.topic;
    const key = record.key === null || record.key === undefined ? null : this.keySerde.serialize(topic, record.key, record.headers);
    const value = record.value === null || record.value === undefined ? null : this.valueSerde.serialize(topic, record.value, record.headers);
    let partition: number | undefined;
    if (this.partitioner !== undefined) {
      if (this.partitionsFor === undefined) throw new TypeError(`sink to ${topic} has a partitioner but the task knows no partition counts`);
      partition = this.partitioner(topic, record.key, record.value, this.partitionsFor(topic));
    }
    this.collector.send({ topic, partition, key, value, timestamp: record.timestamp, headers: record.headers });
    if (this.onSend !== undefined) this.onSend(topic);
  }
}
