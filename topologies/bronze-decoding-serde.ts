import type { AvroSerde, Serde } from '../runtime/index.ts';

/**
 * A decoded bronze value, or why it could not be decoded. `raw` is the value exactly as
 * it was read (for the dead-letter topic); `schemaId` is the writer schema id of the
 * Confluent frame (byte 0 magic 0x00, bytes 1-4 the id, big-endian, then the Avro body).
 */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T; readonly schemaId: number; readonly raw: Buffer }
  | { readonly ok: false; readonly reason: string; readonly raw: Buffer | null };

/**
 * Reads a topic with the runtime's registry-backed AvroSerde, but keeps a failure in band
 * instead of throwing: a bad magic byte, an unknown schema id, a truncated body or
 * trailing bytes become `{ ok: false, reason }`, so the bridge can dead-letter the record
 * with its reason, original bytes and headers and count it. Read-only: it never
 * serializes. `prepare` is the AvroSerde's (registers or looks up the reader schema and
 * loads every writer schema of the subject).
 */
export class BronzeDecodingSerde<T> implements Serde<Decoded<T>> {
  constructor(private readonly avro: AvroSerde<T>) {}

  prepare(topic: string): Promise<void> {
    return this.avro.prepare(topic);
  }

  deserialize(topic: string, data: Buffer | null): Decoded<T> {
    if (data === null) return { ok: false, reason: `null value (a tombstone) on ${topic}: bronze records are never deleted`, raw: null };
    try {
      const value = this.avro.deserialize(topic, data);
      return { ok: true, value, schemaId: data.readUInt32BE(1), raw: data };
    } catch (err) {
      return { ok: false, reason: `cannot decode the Avro value on ${topic}: ${(err as Error).message}`, raw: data };
    }
  }

  serialize(topic: string): Buffer | null {
    throw new TypeError(`BronzeDecodingSerde only reads; it cannot write to ${topic}`);
  }
}
