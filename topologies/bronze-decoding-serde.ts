import { SerdeError, type AvroSerde, type Serde } from '../runtime/index.ts';

/**
 * A decoded bronze value, or why it could not be decoded. `raw` is the value exactly as
 * it was read (for the dead-letter topic); `schemaId` is the writer schema id of the
 * Confluent frame (byte 0 magic 0x00, bytes 1-4 the id, big-endian, then the Avro body).
 * `schemaId` on a failure means the frame was sound: loading that schema may help (see
 * `reload`).
 */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T; readonly schemaId: number; readonly raw: Buffer }
  | { readonly ok: false; readonly reason: string; readonly raw: Buffer | null; readonly schemaId?: number };

/**
 * Reads a topic with the runtime's registry-backed AvroSerde, but keeps a failure in band
 * instead of throwing: a bad magic byte, an unknown schema id, a truncated body or
 * trailing bytes become `{ ok: false, reason }`, so the bridge can dead-letter the record
 * with its reason, original bytes and headers and count it. Read-only: it never
 * serializes. `prepare` is the AvroSerde's (registers or looks up the reader schema and
 * loads every writer schema the subject has then).
 *
 * Schema evolution while running: a record written with a schema version registered after
 * `prepare` fails the synchronous decode; `reload` (awaited by the bridge processor) loads
 * that id from the registry and decodes again. An id the registry does not know (404) is
 * remembered, so it costs one registry call, not one per record; a registry that fails
 * otherwise (down, 5xx) is retried with backoff for `retryForMs`, then the error fails the
 * task (which restarts from its committed offsets): nothing is dead-lettered for an outage.
 */
export class BronzeDecodingSerde<T> implements Serde<Decoded<T>> {
  private readonly unknownIds = new Set<number>();

  /** `retryForMs`: how long a failing registry is retried before the error fails the task. */
  constructor(
    private readonly avro: AvroSerde<T>,
    private readonly retryForMs = 30_000,
  ) {}

  prepare(topic: string): Promise<void> {
    return this.avro.prepare(topic);
  }

  deserialize(topic: string, data: Buffer | null): Decoded<T> {
    if (data === null) return { ok: false, reason: `null value (a tombstone) on ${topic}: bronze records are never deleted`, raw: null };
    try {
      const value = this.avro.deserialize(topic, data);
      return { ok: true, value, schemaId: data.readUInt32BE(1), raw: data };
    } catch (err) {
      const framed = data.length >= 5 && data[0] === 0;
      const id = framed ? data.readUInt32BE(1) : undefined;
      const failure = { ok: false as const, reason: `cannot decode the Avro value on ${topic}: ${(err as Error).message}`, raw: data };
      return id === undefined || this.unknownIds.has(id) ? failure : { ...failure, schemaId: id };
    }
  }

  /** Loads the writer schema of a failed record's id (a no-op when it is loaded) and decodes once more. */
  async reload(topic: string, failed: Extract<Decoded<T>, { ok: false }>): Promise<Decoded<T>> {
    const id = failed.schemaId;
    if (id === undefined || failed.raw === null) return failed;
    const started = Date.now();
    for (let waitMs = 100; ; waitMs = Math.min(waitMs * 2, 5_000)) {
      try {
        await this.avro.prepareId(id);
        break;
      } catch (err) {
        if (err instanceof SerdeError && err.code === 'DESERIALIZATION_FAILED') {
          this.unknownIds.add(id);
          return { ok: false, reason: `${failed.reason}; loading schema id ${id}: ${err.message}`, raw: failed.raw };
        }
        // The registry is unreachable or failing: retry with backoff (the task waits: backpressure)
        // rather than dead-letter every record of this schema until a restart.
        if (Date.now() - started + waitMs > this.retryForMs) throw err;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
    const again = this.deserialize(topic, failed.raw);
    return again.ok ? again : { ok: false, reason: again.reason, raw: failed.raw };
  }

  serialize(topic: string): Buffer | null {
    throw new TypeError(`BronzeDecodingSerde only reads; it cannot write to ${topic}`);
  }
}
