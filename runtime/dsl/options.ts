import type { StreamPartitioner } from '../processor/stream-partitioner.ts';
import type { TimestampExtractor } from '../processor/timestamp-extractor.ts';
import type { Serde } from '../serde/serde.ts';
import type { KeyValueBytesStoreSupplier } from '../state/stores.ts';
import type { Duration } from '../windows/duration.ts';

/* Options of the DSL operators, as plain objects. Every serde is optional: an operator
 * without one uses the serde of its input where the type is unchanged, and otherwise
 * the application's default serdes (a missing default is an error when the topology
 * is compiled, naming the node or store). */

/** A topic with its serdes, as a topic catalog describes it; accepted wherever a topic name is. */
export interface TopicDescriptor<K, V> {
  readonly name: string;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

/** How a source reads a topic (Kafka's `Consumed`). */
export interface Consumed<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  timestampExtractor?: TimestampExtractor;
  /** Name of the source node. */
  name?: string;
}

/** How a sink writes a topic (Kafka's `Produced`). */
export interface Produced<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  partitioner?: StreamPartitioner<K, V>;
  /** Name of the sink node. */
  name?: string;
}

/** Serdes and name of a grouping; the name also names its repartition topic (`<name>-repartition`). */
export interface Grouped<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  name?: string;
}

/** An explicit repartition (`KStream.repartition`). */
export interface Repartitioned<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /** Names the topic `<application.id>-<name>-repartition` and its nodes. */
  name?: string;
  /** Fixed partition count; default that of the upstream input topics. */
  numberOfPartitions?: number;
  partitioner?: StreamPartitioner<K, V>;
}

/**
 * How a KTable or an aggregation result is stored. `store` names the store (and its
 * changelog `<application.id>-<store>-changelog`); without it the name is generated.
 * Defaults, as Kafka Streams' (RocksDB there): persistent (LevelDB via classic-level, under
 * `<state.dir>/<application.id>/<taskId>/`), caching on, logging on. `storeType:
 * 'inMemory'` keeps the store in memory (restored from its changelog on every start).
 *
 * Caching, as in Kafka Streams: an aggregation over a cached store forwards its updates
 * when the cache writes them down, at each commit or on eviction, so a key updated N
 * times between two commits is forwarded once, with its latest value. `caching: false`
 * (or a cache size of 0) forwards every update.
 */
export interface Materialized<K, V> {
  store?: string;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /** Default 'persistent'. */
  storeType?: 'inMemory' | 'persistent';
  /** A custom byte store; overrides `storeType` (its name must equal `store` if both are given). */
  storeSupplier?: KeyValueBytesStoreSupplier;
  caching?: boolean;
  logging?: boolean;
  /** Extra changelog topic configs. */
  logConfig?: Record<string, string>;
  /**
   * Time to live of non-windowed state: an entry expires this long (event time, e.g.
   * '7d' or ms) after its last write and then reads as absent (see TtlKeyValueStore).
   */
  ttl?: Duration;
}

/** Names the node an operator adds (Kafka's `Named`). */
export type Named = string | undefined;

/** A key and a value, as returned by `map`/`flatMap`/`groupBy` selectors. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

export function isTopicDescriptor<K, V>(topic: string | TopicDescriptor<K, V>): topic is TopicDescriptor<K, V> {
  return typeof topic !== 'string';
}
