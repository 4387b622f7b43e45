import avro from 'avsc';
import { IcebergError } from '../errors.ts';
import type { AvroSchema } from '../schema/avro-to-iceberg.ts';

export interface DecodedRecord {
  record: unknown;
  /** The writer's Avro schema; the table follows it. */
  schema: AvroSchema;
}

/** Turns a Kafka record value into a record and its Avro schema. Throws BAD_RECORD. */
export interface RecordDecoder {
  decode(value: Buffer): DecodedRecord | Promise<DecodedRecord>;
}

/** Values are JSON objects shaped like the given Avro schema. */
export function jsonDecoder(schema: AvroSchema): RecordDecoder {
  return {
    decode(value) {
      try {
        return { record: JSON.parse(value.toString('utf8')), schema };
      } catch (err) {
        throw new IcebergError('BAD_RECORD', `value is not JSON: ${(err as Error).message}`);
      }
    },
  };
}

/**
 * Values in the Confluent wire format, schemas from a Confluent-compatible registry:
 *
 *   byte 0      magic 0x00
 *   bytes 1..4  schema id, big-endian int32
 *   bytes 5..   Avro binary encoding of the record
 *
 * Writer schemas are fetched once per id (GET /schemas/ids/{id}).
 */
export function confluentAvroDecoder(registryUrl: string): RecordDecoder {
  const types = new Map<number, Promise<{ type: avro.Type; schema: AvroSchema }>>();
  const load = (id: number) => {
    let p = types.get(id);
    if (!p) {
      p = (async () => {
        const res = await fetch(`${registryUrl.replace(/\/+$/, '')}/schemas/ids/${id}`, { signal: AbortSignal.timeout(10_000) }).catch((err: unknown) => {
          throw new IcebergError('REGISTRY_UNAVAILABLE', `schema registry unreachable: ${(err as Error).message}`, { retriable: true });
        });
        if (res.status >= 500) throw new IcebergError('REGISTRY_UNAVAILABLE', `schema registry answered ${res.status}`, { retriable: true });
        if (res.status !== 200) throw new IcebergError('BAD_RECORD', `schema id ${id} is unknown to the registry (${res.status})`);
        const schema = JSON.parse(((await res.json()) as { schema: string }).schema) as AvroSchema;
        return { type: avro.Type.forSchema(schema as avro.Schema), schema };
      })();
      p.catch(() => types.delete(id));
      types.set(id, p);
    }
    return p;
  };
  return {
    async decode(value) {
      if (value.length < 5 || value[0] !== 0) throw new IcebergError('BAD_RECORD', 'value is not in the Confluent Avro wire format (magic byte 0)');
      const { type, schema } = await load(value.readInt32BE(1));
      try {
        return { record: type.fromBuffer(value.subarray(5)), schema };
      } catch (err) {
        throw new IcebergError('BAD_RECORD', `value does not decode with schema id ${value.readInt32BE(1)}: ${(err as Error).message}`);
      }
    },
  };
}
