import { StreamsError } from '../errors/streams-error.ts';
import type { Serde } from '../serde/serde.ts';
import type { LoggedRecord } from './internal/topic-log.ts';
import type { KeyValue, TestRecord } from './test-record.ts';

/**
 * Reads one topic of a TopologyTestDriver from the start, each record once: every read
 * consumes what it returns. Records of all partitions come in the order they were
 * written.
 */
export class TestOutputTopic<K, V> {
  private position = 0;

  constructor(
    readonly name: string,
    private readonly source: (topic: string) => readonly LoggedRecord[],
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  getQueueSize(): number {
    return this.source(this.name).length - this.position;
  }

  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }

  readRecord(): TestRecord<K, V> {
    const raw = this.source(this.name)[this.position];
    if (raw === undefined) throw new StreamsError('NO_MORE_RECORDS', `topic ${this.name} has no more records`);
    this.position++;
    return {
      topic: raw.topic,
      partition: raw.partition,
      offset: raw.offset,
      key: (raw.key === null ? null : this.keySerde.deserialize(raw.topic, raw.key, raw.headers)) as K,
      value: (raw.value === null ? null : this.valueSerde.deserialize(raw.topic, raw.value, raw.headers)) as V,
      timestamp: raw.timestamp,
      headers: raw.headers,
    };
  }

  readKeyValue(): KeyValue<K, V> {
    const r = this.readRecord();
    return { key: r.key, value: r.value };
  }

  readValue(): V {
    return this.readRecord().value;
  }

  readRecordsToList(): TestRecord<K, V>[] {
    const out: TestRecord<K, V>[] = [];
    while (!this.isEmpty()) out.push(this.readRecord());
    return out;
  }

  readKeyValuesToList(): KeyValue<K, V>[] {
    return this.readRecordsToList().map((r) => ({ key: r.key, value: r.value }));
  }

  readValuesToList(): V[] {
    return this.readRecordsToList().map((r) => r.value);
  }

  /** The last value per key (a table view); a null value deletes the key. */
  readKeyValuesToMap(): Map<K, V> {
    const out = new Map<K, V>();
    for (const r of this.readRecordsToList()) {
      if (r.value === null) out.delete(r.key);
      else out.set(r.key, r.value);
    }
    return out;
  }
}
