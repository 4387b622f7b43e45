import avro from 'avsc';
import { SerdeError } from '../errors/runtime-errors.ts';
import type { Serde } from './serde.ts';
import { topicSubject, type AvroSchema, type SchemaResolver } from './schema-resolver.ts';

export interface AvroSerdeOptions {
  /** The schema this application reads and writes (the reader schema). */
  schema: AvroSchema;
  resolver: SchemaResolver;
  /** Key or value subject (`<topic>-key` / `<topic>-value`); default false (value). */
  isKey?: boolean;
}

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

/**
 * Avro in the Confluent wire format:
 *
 *   byte 0      magic byte 0
 *   bytes 1-4   schema id, 32-bit big-endian, as given by the schema registry
 *   bytes 5..   Avro binary encoding of the value with that schema
 *
 * `prepare(topic)` resolves (registers) the writer id of the reader schema under the
 * topic's subject and loads the schemas of every id known for that subject; after that
 * both directions are synchronous. A record written with an id that was unknown at
 * `prepare` time fails to deserialize with a clear error (it goes to the dead-letter
 * topic under logAndContinue); prepare again to pick up new schema versions.
 */
export class AvroSerde<T> implements Serde<T> {
  private readonly type: avro.Type;
  private readonly writerIds = new Map<string, number>();
  private readonly readers = new Map<number, avro.Resolver | null>();

  constructor(private readonly options: AvroSerdeOptions) {
    this.type = avro.Type.forSchema(options.schema as avro.Schema);
  }

  async prepare(topic: string): Promise<void> {
    const subject = topicSubject(topic, this.options.isKey ?? false);
    const id = await this.options.resolver.idFor(subject, this.options.schema);
    this.writerIds.set(topic, id);
    this.readers.set(id, null);
    const ids = (await this.options.resolver.idsFor?.(subject)) ?? [];
    for (const other of ids) await this.prepareId(other);
  }

  /** Loads the writer schema of one id, so records carrying it can be read. */
  async prepareId(id: number): Promise<void> {
    if (this.readers.has(id)) return;
    const writer = avro.Type.forSchema((await this.options.resolver.schemaFor(id)) as avro.Schema);
    this.readers.set(id, writer.equals(this.type) ? null : this.type.createResolver(writer));
  }

  serialize(topic: string, value: T): Buffer | null {
    if (value === null || value === undefined) return null;
    const id = this.writerIds.get(topic);
    if (id === undefined) {
      throw new SerdeError('SERIALIZATION_FAILED', `AvroSerde was not prepared for topic ${topic}: await serde.prepare('${topic}') first`);
    }
    const body = this.type.toBuffer(value);
    const out = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
    out.writeUInt8(MAGIC_BYTE, 0);
    out.writeUInt32BE(id, 1);
    body.copy(out, HEADER_LENGTH);
    return out;
  }

  deserialize(topic: string, data: Buffer | null): T {
    if (data === null) return null as T;
    if (data.length < HEADER_LENGTH || data[0] !== MAGIC_BYTE) {
      throw new SerdeError('DESERIALIZATION_FAILED', `not Confluent Avro on ${topic}: expected magic byte 0 and a 4-byte schema id`);
    }
    const id = data.readUInt32BE(1);
    const resolver = this.readers.get(id);
    if (resolver === undefined) {
      throw new SerdeError('DESERIALIZATION_FAILED', `schema id ${id} on ${topic} was not prepared (unknown to the registry at prepare time)`);
    }
    const body = data.subarray(HEADER_LENGTH);
    return (resolver === null ? this.type.fromBuffer(body) : this.type.fromBuffer(body, resolver)) as T;
  }
}
