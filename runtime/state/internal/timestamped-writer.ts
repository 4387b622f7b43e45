/**
 * How the caching layer hands a dirty entry down with the timestamp of its last write,
 * rather than the timestamp of whatever record is being processed when the cache
 * flushes (Kafka Streams restores the entry's record context for the same reason).
 */
export interface TimestampedWriter {
  writeAt(key: Buffer, value: Buffer | null, timestamp: number): void;
}

export function isTimestampedWriter(store: object): store is TimestampedWriter {
  return typeof (store as Partial<TimestampedWriter>).writeAt === 'function';
}
