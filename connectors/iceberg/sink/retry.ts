import { IcebergError } from '../errors.ts';

export interface RetryOptions {
  /** First pause; doubles up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Called before each pause, e.g. to heartbeat the consumer group and log. */
  onRetry?: (err: IcebergError, attempt: number, delayMs: number) => void | Promise<void>;
  /** Stops retrying (rethrows) once false. */
  isRunning?: () => boolean;
}

/**
 * Runs `fn` until it succeeds, pausing with exponential backoff (and jitter) after
 * each retriable IcebergError: an unreachable object store or catalog. Other errors
 * are rethrown at once.
 */
export async function retrying<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let delay = opts.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof IcebergError) || !err.retriable || (opts.isRunning && !opts.isRunning())) throw err;
      const pause = Math.round(delay * (0.75 + Math.random() / 2));
      await opts.onRetry?.(err, attempt, pause);
      await new Promise((r) => setTimeout(r, pause));
      delay = Math.min(opts.maxDelayMs, delay * 2);
    }
  }
}
