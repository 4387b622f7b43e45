/** Where in the running application an error happened. */
export interface ErrorContext {
  taskId?: string;
  topic?: string;
  partition?: number;
  offset?: string;
  processor?: string;
  store?: string;
}

/**
 * Base of every runtime error. `code` is stable and documented (SCREAMING_SNAKE);
 * `retriable` says whether the same operation may succeed if tried again.
 */
export class StreamsError extends Error {
  override name = 'StreamsError';
  readonly code: string;
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean; context?: ErrorContext } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}
