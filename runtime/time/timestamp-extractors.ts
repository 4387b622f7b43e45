import { StreamsError } from '../errors/streams-error.ts';
import type { TimestampExtractor } from '../processor/timestamp-extractor.ts';

export { recordTimestampExtractor } from '../processor/timestamp-extractor.ts';

/**
 * `INVALID_TIMESTAMP`: a record's event time is missing or cannot be read. The task
 * treats it as a record it cannot deserialize: the deserialization handler sends it to
 * the dead-letter topic with this message as the reason (or fails the task).
 */
export class InvalidTimestampError extends StreamsError {
  override name = 'InvalidTimestampError';
  constructor(message: string) {
    super('INVALID_TIMESTAMP', message);
  }
}

/**
 * Event time from a field of the deserialized value: a number (epoch ms), a numeric
 * string, or an ISO-8601 date-time string. `field` is a property name, a dotted path
 * (`'meta.eventTime'`) or a function of the value. A missing, negative or unreadable
 * value throws InvalidTimestampError (the record goes to the DLQ with the reason). A
 * record without a value (a tombstone, which deletes a table row) has no field to read:
 * it keeps its Kafka record timestamp.
 */
export function valueFieldTimestampExtractor(field: string | ((value: unknown) => unknown)): TimestampExtractor {
  const path = typeof field === 'string' ? field.split('.') : undefined;
  const label = typeof field === 'string' ? field : 'the extractor function';
  return (record, _partitionTime, value) => {
    if (value === null || value === undefined) return record.timestamp;
    let v: unknown = value;
    if (path === undefined) v = (field as (value: unknown) => unknown)(value);
    else for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    const ms = toEpochMillis(v);
    if (ms === undefined) {
      throw new InvalidTimestampError(
        `record ${record.topic}-${record.partition}@${record.offset}: event time ${label} is ${describe(v)}, not a timestamp`,
      );
    }
    return ms;
  };
}

function toEpochMillis(v: unknown): number | undefined {
  let ms: number;
  if (typeof v === 'number') ms = v;
  else if (typeof v === 'bigint') ms = Number(v);
  else if (typeof v === 'string' && v.trim() !== '') ms = /^\d+$/.test(v.trim()) ? Number(v) : Date.parse(v);
  else if (v instanceof Date) ms = v.getTime();
  else return undefined;
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : undefined;
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  return `${typeof v} ${JSON.stringify(v)}`.slice(0, 80);
}
