/** A problem with an ingest run as a whole (not a bad row): bad location, unreadable file. */
export class IngestError extends Error {
  override name = 'IngestError';
  constructor(
    readonly code: 'OUTSIDE_ROOTS' | 'BAD_LOCATION' | 'NOT_FOUND' | 'BAD_FORMAT' | 'BAD_OPTION',
    message: string,
  ) {
    super(message);
  }
}
