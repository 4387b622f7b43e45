import { decide, type ErrorHandlerContext, type ExceptionHandler } from '../../errors/exception-handlers.ts';
import { asError, deadLetterRecord } from '../../errors/internal/dead-letter-record.ts';
import type { Logger } from '../../errors/logger.ts';
import { ProcessingError, SerdeError } from '../../errors/runtime-errors.ts';
import { StreamsError, type ErrorContext } from '../../errors/streams-error.ts';
import type { RawRecord, RecordCollector } from './record-collector.ts';

export type FailureKind = 'deserialization' | 'processing';

/**
 * Codes of StreamsErrors that say the runtime itself is broken (a missing store, a
 * closed store, a failed produce, an invalid topology): they fail the task unchanged and
 * never reach a handler, whatever record was being processed.
 */
export const FRAMEWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'TOPOLOGY_INVALID',
  'CONFIG_INVALID',
  'INVALID_CONFIG',
  'STORE_NOT_FOUND',
  'STORE_NOT_OPEN',
  'STORE_NOT_LOGGED',
  'STORE_READ_ONLY',
  'STORE_IO',
  'TASK_STATE',
  'TASK_CORRUPTED',
  'UNKNOWN_TOPIC',
  'PRODUCE_FAILED',
  'ILLEGAL_STATE',
]);

/**
 * Applies the deserialization and processing exception handlers of one task. CONTINUE
 * writes the input record to the dead-letter topic with the error headers and counts
 * it; FAIL throws a SerdeError or ProcessingError carrying the task, topic, partition,
 * offset and processor, with the original error as `cause`. Retriable StreamsErrors and
 * those with a FRAMEWORK_ERROR_CODES code are failures of the runtime, not bad records:
 * they are rethrown unchanged and never reach a handler.
 */
export class RecordErrorPolicy {
  deadLettered = 0;

  constructor(
    private readonly taskId: string,
    private readonly deserializationHandler: ExceptionHandler,
    private readonly processingHandler: ExceptionHandler,
    private readonly deadLetterTopic: string,
    private readonly collector: RecordCollector,
    private readonly logger: Logger,
    private readonly onDeadLetter: ((kind: FailureKind, topic: string, error: Error) => void) | undefined,
  ) {}

  handle(kind: FailureKind, raw: RawRecord, thrown: unknown, processor: string): void {
    if (thrown instanceof StreamsError && (thrown.retriable || FRAMEWORK_ERROR_CODES.has(thrown.code))) throw thrown;
    const error = asError(thrown);
    const handlerContext: ErrorHandlerContext = {
      taskId: this.taskId,
      topic: raw.topic,
      partition: raw.partition,
      offset: raw.offset,
      processor,
      key: raw.key,
      value: raw.value,
      timestamp: raw.timestamp,
      headers: raw.headers,
    };
    const context: ErrorContext = { taskId: this.taskId, topic: raw.topic, partition: raw.partition, offset: raw.offset, processor };
    const where = `${raw.topic}-${raw.partition}@${raw.offset} (task ${this.taskId}, ${processor})`;
    const handler = kind === 'deserialization' ? this.deserializationHandler : this.processingHandler;
    if (decide(handler, handlerContext, error) === 'FAIL') {
      const message = `${kind} of record ${where} failed: ${error.message}`;
      this.logger.error(message, { ...context, error: error.name });
      throw kind === 'deserialization'
        ? new SerdeError('DESERIALIZATION_FAILED', message, { cause: error, context })
        : new ProcessingError(message, { cause: error, context });
    }
    this.logger.warn(`${kind} of record ${where} failed; sent to ${this.deadLetterTopic}: ${error.message}`, { ...context, error: error.name });
    this.collector.send(deadLetterRecord(this.deadLetterTopic, raw, error, processor));
    this.deadLettered++;
    if (this.onDeadLetter !== undefined) this.onDeadLetter(kind, raw.topic, error);
  }
}
