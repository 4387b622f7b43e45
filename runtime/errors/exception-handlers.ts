import type { Headers } from '../processor/record.ts';

/** What a handler decides for a failed record. */
export type HandlerResponse = 'CONTINUE' | 'FAIL';

/** Everything a handler may want to know about the failed record. */
export interface ErrorHandlerContext {
  readonly taskId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Name of the node that failed: the source node for deserialization errors. */
  readonly processor: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

export type ExceptionHandlerFunction = (context: ErrorHandlerContext, error: Error) => HandlerResponse;

/**
 * The policy for a record that fails to deserialize or to process:
 * - `'logAndContinue'`: log a warning, write the input record to the dead-letter topic
 *   with the error in its headers, and go on with the next record;
 * - `'logAndFail'`: log an error and fail the task with a StreamsError;
 * - a function deciding per record; CONTINUE also writes the record to the dead-letter
 *   topic, so that a record is never silently dropped.
 */
export type ExceptionHandler = 'logAndContinue' | 'logAndFail' | ExceptionHandlerFunction;

/** Names of the headers carried by a dead-letter record. */
export const DLQ_HEADERS = {
  errorClass: 'streamhouse.error.class',
  errorMessage: 'streamhouse.error.message',
  sourceTopic: 'streamhouse.error.source.topic',
  sourcePartition: 'streamhouse.error.source.partition',
  sourceOffset: 'streamhouse.error.source.offset',
  processor: 'streamhouse.error.processor',
} as const;

/** The default dead-letter topic of an application: `<application.id>-dlq`. */
export function defaultDeadLetterTopic(applicationId: string): string {
  return `${applicationId}-dlq`;
}

/** Applies a handler policy to one failure. */
export function decide(handler: ExceptionHandler, context: ErrorHandlerContext, error: Error): HandlerResponse {
  if (handler === 'logAndContinue') return 'CONTINUE';
  if (handler === 'logAndFail') return 'FAIL';
  const response = handler(context, error);
  if (response !== 'CONTINUE' && response !== 'FAIL') {
    throw new TypeError(`exception handler returned ${String(response)}; expected 'CONTINUE' or 'FAIL'`);
  }
  return response;
}
