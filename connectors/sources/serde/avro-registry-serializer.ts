import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { LOGICAL_TYPES } from '../../../schemas/logical-types.ts';
import { LINEAGE_HEADERS, type TopicSpec } from '../../../topologies/topics.ts';
import type { MalformedKind } from '../generator/faults.ts';
import { avroType, schemaText } from './avro-types.ts';
import { garbageBytes, type EventSerializer } from './event-serializer.ts';

const MAGIC = 0;
/** An id no registry hands out: a consumer must fail to find it. */
const UNKNOWN_ID = 0x7fffffff;

/**
 * Avro in the Confluent wire format, with schemas registered through
 * @kafkajs/confluent-schema-registry (any Confluent-compatible registry) under the
 * topic-name strategy subject `<topic>-value`.
 *
 * Layout of a value: byte 0 is the magic byte 0x00; bytes 1-4 are the schema id, a
 * big-endian unsigned 32-bit integer; the rest is the Avro binary encoding of the value.
 * `prepare` registers (or looks up) the schemas; `serialize` then frames synchronously.
 */
export class AvroRegistrySerializer implements EventSerializer {
  readonly format = 'avro' as const;
  readonly registry: SchemaRegistry;
  private readonly ids = new Map<string, { id: number; type: avro.Type; header: Buffer }>();

  constructor(readonly registryUrl: string) {
    this.registry = new SchemaRegistry({ host: registryUrl }, { [SchemaType.AVRO]: { logicalTypes: LOGICAL_TYPES } });
  }

  /** A serializer for schemas already registered (ids per topic name), doing no I/O. */
  static withIds(registryUrl: string, topics: readonly TopicSpec[], ids: Readonly<Record<string, number>>): AvroRegistrySerializer {
    const s = new AvroRegistrySerializer(registryUrl);
    for (const topic of topics) {
      const id = ids[topic.name];
      if (id === undefined) throw new Error(`AvroRegistrySerializer.withIds: no schema id for ${topic.name}`);
      s.remember(topic, id);
    }
    return s;
  }

  /** The schema ids registered so far, per topic name. */
  schemaIds(): Record<string, number> {
    return Object.fromEntries([...this.ids].map(([topic, e]) => [topic, e.id]));
  }

  async prepare(topics: readonly TopicSpec[]): Promise<void> {
    for (const topic of topics) {
      if (this.ids.has(topic.name)) continue;
      const subject = `${topic.name}-value`;
      const { id } = await this.registry.register({ type: SchemaType.AVRO, schema: schemaText(topic.schema) }, { subject });
      this.remember(topic, id);
    }
  }

  private remember(topic: TopicSpec, id: number): void {
    const header = Buffer.alloc(5);
    header.writeUInt8(MAGIC, 0);
    header.writeUInt32BE(id, 1);
    this.ids.set(topic.name, { id, type: avroType(topic.schema), header });
  }

  serialize(topic: TopicSpec, value: unknown): Buffer {
    const entry = this.entry(topic);
    return Buffer.concat([entry.header, entry.type.toBuffer(value)]);
  }

  malformed(topic: TopicSpec, value: unknown, kind: MalformedKind, noise: () => number): Buffer {
    const entry = this.entry(topic);
    const body = entry.type.toBuffer(value);
    switch (kind) {
      case 'truncated':
        return Buffer.concat([entry.header, body.subarray(0, Math.floor(body.length / 2))]);
      case 'garbage':
        return garbageBytes(noise);
      case 'missing-field': {
        const header = Buffer.from(entry.header);
        header.writeUInt32BE(UNKNOWN_ID, 1);
        return Buffer.concat([header, body]);
      }
      case 'bad-value':
        return Buffer.concat([entry.header, body, Buffer.from([0xde, 0xad, 0xbe, 0xef])]);
    }
  }

  headers(topic: TopicSpec): Record<string, string> {
    return { [LINEAGE_HEADERS.schemaId]: String(this.entry(topic).id) };
  }

  private entry(topic: TopicSpec): { id: number; type: avro.Type; header: Buffer } {
    const entry = this.ids.get(topic.name);
    if (!entry) throw new Error(`AvroRegistrySerializer: prepare() was not called for ${topic.name}`);
    return entry;
  }
}
