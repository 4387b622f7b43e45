import type { Headers } from '../processor/record.ts';

/**
 * A pair of functions between values and bytes. `topic` and `headers` are passed for
 * formats that need them (Confluent Avro uses the topic to pick the subject). A serde
 * that needs I/O (a schema registry lookup) resolves it ahead of time and caches it, so
 * that the hot path stays synchronous; `prepare` is awaited once before use.
 */
export interface Serde<T> {
  serialize(topic: string, value: T, headers?: Headers): Buffer | null;
  deserialize(topic: string, data: Buffer | null, headers?: Headers): T;
  prepare?(topic: string): Promise<void>;
}
