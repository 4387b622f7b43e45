import type { TopicSpec } from '../../../topologies/topics.ts';
import type { MalformedKind } from '../generator/faults.ts';

/**
 * Turns catalog-typed values into Kafka record values. Producers and ingest are written
 * against this interface, so the wire format (JSON or registry-backed Avro) is a choice
 * made once at start-up. `prepare` does any I/O (schema registration) before the first
 * `serialize`, which is synchronous.
 */
export interface EventSerializer {
  readonly format: 'json' | 'avro';
  prepare(topics: readonly TopicSpec[]): Promise<void>;
  serialize(topic: TopicSpec, value: unknown): Buffer;
  /**
   * A payload standing for `value` that a consumer must refuse: `truncated` (cut short),
   * `garbage` (random bytes), `missing-field` (JSON: no event_id; Avro: an unknown schema
   * id) or `bad-value` (JSON: wrong types; Avro: trailing bytes after the record).
   * `noise` supplies the random bytes so that the result stays deterministic.
   */
  malformed(topic: TopicSpec, value: unknown, kind: MalformedKind, noise: () => number): Buffer;
  /** Headers to put on every record of the topic (the schema id for Avro; none for JSON). */
  headers(topic: TopicSpec): Record<string, string>;
}

/** Random bytes from `noise`, starting with 0xff (neither JSON nor the Avro magic byte). */
export function garbageBytes(noise: () => number): Buffer {
  const n = 8 + Math.floor(noise() * 56);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(noise() * 256);
  out[0] = 0xff;
  return out;
}
