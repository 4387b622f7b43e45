import { StreamsError, type ErrorContext } from '../errors/streams-error.ts';

/**
 * Codes raised by state stores:
 * - `STORE_NOT_OPEN`: the store was used before `init` or after `close`.
 * - `STORE_IO`: LevelDB failed to open, read or write (retriable: the task may be recreated).
 * - `STORE_SERDE`: a key serialized to null, or bytes could not be deserialized.
 * - `CHECKPOINT_CORRUPT`: a checkpoint file could not be parsed (the task restores in full).
 */
export type StateStoreErrorCode = 'STORE_NOT_OPEN' | 'STORE_IO' | 'STORE_SERDE' | 'CHECKPOINT_CORRUPT';

export class StateStoreError extends StreamsError {
  override name = 'StateStoreError';

  constructor(
    code: StateStoreErrorCode,
    message: string,
    options: { cause?: unknown; retriable?: boolean; context?: ErrorContext } = {},
  ) {
    super(code, message, options);
  }
}
