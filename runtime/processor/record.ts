/** Kafka record headers as the runtime carries them: values are bytes or text. */
export type Headers = Record<string, Buffer | string | undefined>;

/**
 * One record flowing through a topology. `timestamp` is the record's event time in
 * epoch milliseconds, as given by the source's timestamp extractor.
 */
export interface StreamRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Where the record being processed came from; null inside a punctuator. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}
