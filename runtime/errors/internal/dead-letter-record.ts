import type { Headers } from '../../processor/record.ts';
import type { OutgoingRecord, RawRecord } from '../../task/internal/record-collector.ts';
import { DLQ_HEADERS } from '../exception-handlers.ts';

/**
 * The dead-letter copy of a failed input record: its original key, value, timestamp and
 * headers, plus the error headers (class, message, source topic/partition/offset and
 * the failing processor). The key decides the DLQ partition.
 */
export function deadLetterRecord(topic: string, raw: RawRecord, error: Error, processor: string): OutgoingRecord {
  const headers: Headers = {
    ...raw.headers,
    [DLQ_HEADERS.errorClass]: error.name || error.constructor.name,
    [DLQ_HEADERS.errorMessage]: error.message,
    [DLQ_HEADERS.sourceTopic]: raw.topic,
    [DLQ_HEADERS.sourcePartition]: String(raw.partition),
    [DLQ_HEADERS.sourceOffset]: raw.offset,
    [DLQ_HEADERS.processor]: processor,
  };
  return { topic, key: raw.key, value: raw.value, timestamp: raw.timestamp, headers };
}

/** Anything thrown, as an Error (user code may throw strings). */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
