import type { ExceptionHandlerFunction } from '../runtime/index.ts';

/**
 * A record a topology refuses because the record is wrong (malformed input, a key that
 * does not match its value), not because the code is: thrown from a processor, it is sent
 * to the application's dead-letter topic with the reason by `deadLetterRejected`, and
 * processing goes on. Any other error still fails the task (a bug must not be swallowed).
 */
export class RejectedRecordError extends Error {
  override name = 'RejectedRecordError';
}

/** The processing exception handler of the medallion application: see RejectedRecordError. */
export const deadLetterRejected: ExceptionHandlerFunction = (_context, error) => (error instanceof RejectedRecordError ? 'CONTINUE' : 'FAIL');
