import type { Schema } from 'avsc';

/** An Avro schema as JSON (object or primitive name). */
export type AvroSchema = Exclude<Schema, import('avsc').Type>;

/**
 * The schema registry as the Avro serde sees it. Implementations talk to a Confluent
 * compatible registry (another module plugs its client in here) or keep schemas in
 * memory for tests. Both calls may do I/O: the serde only calls them from `prepare`,
 * never on the hot path.
 */
export interface SchemaResolver {
  /** The id of `schema` under `subject`, registering it if the registry allows. */
  idFor(subject: string, schema: AvroSchema): Promise<number>;
  /** The schema registered with `id`. */
  schemaFor(id: number): Promise<AvroSchema>;
  /**
   * Every id registered under `subject` (all versions). Optional: when present, the
   * serde preloads them in `prepare`, so records written with older schemas decode.
   */
  idsFor?(subject: string): Promise<number[]>;
}

/** Confluent's TopicNameStrategy: `<topic>-key` or `<topic>-value`. */
export function topicSubject(topic: string, isKey: boolean): string {
  return `${topic}-${isKey ? 'key' : 'value'}`;
}
