import { StreamsError, type ErrorContext } from './streams-error.ts';

type Options = { cause?: unknown; retriable?: boolean; context?: ErrorContext };

/**
 * `TOPOLOGY_INVALID`: the topology cannot be built or run (unknown parent, duplicate
 * name, a sink without serde, ...). Raised when the topology is built or compiled.
 */
export class TopologyError extends StreamsError {
  override name = 'TopologyError';
  constructor(message: string, options: Options = {}) {
    super('TOPOLOGY_INVALID', message, options);
  }
}

/** `STORE_NOT_FOUND`: a processor asked for a store that is not connected to it. */
export class StoreNotFoundError extends StreamsError {
  override name = 'StoreNotFoundError';
  constructor(message: string, options: Options = {}) {
    super('STORE_NOT_FOUND', message, options);
  }
}

/**
 * `DESERIALIZATION_FAILED` / `SERIALIZATION_FAILED`: a serde could not convert a record.
 * Both go through the configured exception handler before they fail a task.
 */
export class SerdeError extends StreamsError {
  override name = 'SerdeError';
  constructor(code: 'DESERIALIZATION_FAILED' | 'SERIALIZATION_FAILED', message: string, options: Options = {}) {
    super(code, message, options);
  }
}

/**
 * `PROCESSING_FAILED`: user code (or an operator) threw while processing a record and
 * the processing exception handler said FAIL. `cause` holds the original error.
 */
export class ProcessingError extends StreamsError {
  override name = 'ProcessingError';
  constructor(message: string, options: Options = {}) {
    super('PROCESSING_FAILED', message, options);
  }
}

/** `NULL_KEY`: a stateful operator received a record without a key. */
export class NullKeyError extends StreamsError {
  override name = 'NullKeyError';
  constructor(message: string, options: Options = {}) {
    super('NULL_KEY', message, options);
  }
}

/** `CONFIG_INVALID`: a configuration key has a bad value; the message names the key. */
export class ConfigError extends StreamsError {
  override name = 'ConfigError';
  constructor(message: string, options: Options = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

/** `NULL_VALUE`: an aggregation received a record without a value. */
export class NullValueError extends StreamsError {
  override name = 'NullValueError';
  constructor(message: string, options: Options = {}) {
    super('NULL_VALUE', message, options);
  }
}
