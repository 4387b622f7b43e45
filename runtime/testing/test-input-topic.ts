import type { Headers } from '../processor/record.ts';
import type { Serde } from '../serde/serde.ts';
import type { KeyValue } from './test-record.ts';

/** What an input topic needs from its driver. */
export interface InputSink {
  pipe(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number | undefined, headers: Headers): void | Promise<void>;
}

/**
 * Writes records into one topic of a TopologyTestDriver, which processes them right
 * away. Each call returns undefined when the topology ran synchronously, or a promise
 * to await when a processor returned one. Without a timestamp a record gets the
 * driver's wall-clock time.
 */
export class TestInputTopic<K, V> {
  constructor(
    readonly name: string,
    private readonly driver: InputSink,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  pipeInput(key: K | null, value: V | null, timestamp?: number, headers: Headers = {}): void | Promise<void> {
    const keyBytes = key === null || key === undefined ? null : this.keySerde.serialize(this.name, key, headers);
    const valueBytes = value === null || value === undefined ? null : this.valueSerde.serialize(this.name, value, headers);
    return this.driver.pipe(this.name, keyBytes, valueBytes, timestamp, headers);
  }

  /** Pipes a record without a key. */
  pipeValue(value: V | null, timestamp?: number, headers?: Headers): void | Promise<void> {
    return this.pipeInput(null, value, timestamp, headers);
  }

  /** Pipes raw bytes as they are, e.g. a poison pill the source serde cannot read. */
  pipeRaw(key: Buffer | null, value: Buffer | null, timestamp?: number, headers: Headers = {}): void | Promise<void> {
    return this.driver.pipe(this.name, key, value, timestamp, headers);
  }

  /** Pipes records in order; timestamps start at `startTimestamp` and grow by `advanceMs`. */
  async pipeKeyValueList(records: Iterable<KeyValue<K, V>>, startTimestamp?: number, advanceMs = 0): Promise<void> {
    let ts = startTimestamp;
    for (const r of records) {
      await this.pipeInput(r.key, r.value, ts);
      if (ts !== undefined) ts += advanceMs;
    }
  }
}
