import type { RawRecord } from '../task/internal/record-collector.ts';

/**
 * Gives a consumed record its event time. `partitionTime` is the highest timestamp seen
 * so far by the task reading the record (its stream time; -1 before any record), for
 * extractors that fall back to it. The default uses the Kafka record timestamp. A
 * negative result is an error for that record (it goes to the deserialization
 * handler), never a silent drop. `value` is the
 * record's deserialized value, for extractors that read event time from a field
 * (see runtime/time/timestamp-extractors.ts).
 */
export type TimestampExtractor = (record: RawRecord, partitionTime: number, value?: unknown) => number;

export const recordTimestampExtractor: TimestampExtractor = (record) => record.timestamp;
