/**
 * How the caching layer hands a dirty entry down with the timestamp of its last write,
 * rather than the timestamp of whatever record is being processed when the cache
 * flushes (Kafka Streams restores the entry's record context for the same reason).
 * `existed` says whether the store below holds the key, when the cache knows it: a
 * counting store then skips its own lookup.
 */
export interface TimestampedWriter {
  writeAt(key: Buffer, value: Buffer | null, timestamp: number, existed?: boolean): void;
}

export function isTimestampedWriter(store: object): store is TimestampedWriter {
  return typeof (store as Partial<TimestampedWriter>).writeAt === 'function';
}

/** A store that keeps an entry count and can take a write whose key's existence is known. */
export interface KnownWriter {
  writeKnown(key: Buffer, value: Buffer | null, existed: boolean): void;
}

export function isKnownWriter(store: object): store is KnownWriter {
  return typeof (store as Partial<KnownWriter>).writeKnown === 'function';
}
