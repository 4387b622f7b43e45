/**
 * The one error class of the Iceberg connector. `code` is stable; `retriable` says
 * whether the same call may succeed later (a commit conflict, an unreachable store).
 */
export class IcebergError extends Error {
  override name = 'IcebergError';
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** A commit lost the compare-and-swap or failed a requirement: reload, rebuild, retry. */
export class CommitFailedError extends IcebergError {
  override name = 'CommitFailedError';
  constructor(message: string) {
    super('COMMIT_FAILED', message, { retriable: true });
  }
}
