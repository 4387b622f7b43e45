import { ConfigError } from '../errors/runtime-errors.ts';

/**
 * Tumbling count windows: per key, every `size` consecutive records (in processing order)
 * form one window. Window n of a key covers its records n·size to (n+1)·size − 1, so as a
 * Window its start and end are record positions, not times. Event time plays no part:
 * nothing is late. Emit `onWindowClose` gives one result per full window; `onUpdate` also
 * gives the partial result after every record.
 */
export class CountWindows {
  readonly kind = 'count';

  private constructor(readonly size: number) {}

  static of(size: number): CountWindows {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new ConfigError(`CountWindows size must be a positive integer, got ${size}`);
    return new CountWindows(size);
  }
}
