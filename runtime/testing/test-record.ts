import type { Headers } from '../processor/record.ts';

/** A record read from (or piped into) a test driver topic. */
export interface TestRecord<K, V> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
}

export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}
