import { LongSerde } from '../serde/long-serde.ts';
import type { Serde } from '../serde/serde.ts';
import type { InternalBuilder } from './internal/internal-builder.ts';
import { keyValueStoreFor } from './internal/materialize.ts';
import { StreamAggregateProcessor } from './internal/processors/stream-aggregate-processor.ts';
import { storeValueGetter } from './internal/value-getter.ts';
import { KTable } from './ktable.ts';
import type { Materialized } from './options.ts';
import { TimeWindowedKStream } from './time-windowed-kstream.ts';
import type { SlidingWindows } from '../windows/sliding-windows.ts';
import { SessionWindows } from '../windows/session-windows.ts';
import { SessionWindowedKStream } from './session-windowed-kstream.ts';
import { CountWindows } from '../windows/count-windows.ts';
import { CountWindowedKStream } from './count-windowed-kstream.ts';
import type { TimeWindows } from '../windows/time-windows.ts';

const LONG = new LongSerde();

/**
 * A stream grouped by key, ready to aggregate (Kafka's KGroupedStream). Aggregations
 * keep one row per key in a store and emit every update as a KTable change. If the key
 * changed upstream, the aggregation first repartitions through
 * `<application.id>-<grouping or store name>-repartition`.
 *
 * Windowed aggregations (`windowedBy`) are added on top of this class by the windows
 * module; they reuse `builder`, `node`, the serdes and `prepareInput()`.
 */
export class KGroupedStream<K, V> {
  /** @internal */
  constructor(
    readonly builder: InternalBuilder,
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly repartitionRequired: boolean,
    readonly groupName: string | undefined,
  ) {}

  /** Number of records per key, as a long. */
  count(materialized: Materialized<K, number> = {}, named?: string): KTable<K, number> {
    return this.aggregateWith('KSTREAM-AGGREGATE-', named, { valueSerde: LONG, ...materialized }, () => 0, (_k, _v, n) => n + 1, undefined);
  }

  /** Combines the values of a key; the first value is the initial aggregate. */
  reduce(reducer: (aggregate: V, value: V, key: K) => V, materialized: Materialized<K, V> = {}, named?: string): KTable<K, V> {
    return this.aggregateWith(
      'KSTREAM-REDUCE-',
      named,
      { valueSerde: this.valueSerde, ...materialized },
      undefined,
      (key, value, agg) => reducer(agg, value, key),
      (value) => value,
    );
  }

  /** Folds the values of a key into an aggregate that starts at `initializer()`. */
  aggregate<VA>(initializer: () => VA, aggregator: (key: K, value: V, aggregate: VA) => VA, materialized: Materialized<K, VA> = {}, named?: string): KTable<K, VA> {
    return this.aggregateWith('KSTREAM-AGGREGATE-', named, materialized, initializer, aggregator, undefined);
  }

  /**
   * Cuts the stream into windows for a windowed aggregation (windows module): tumbling
   * or hopping TimeWindows, or SlidingWindows (TimeWindowedKStream), or SessionWindows
   * (SessionWindowedKStream), or CountWindows (CountWindowedKStream). See those for emit
   * modes, grace and late records.
   */
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: CountWindows): CountWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows | CountWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> | CountWindowedKStream<K, V> {
    if (windows instanceof SessionWindows) return new SessionWindowedKStream(this, windows);
    if (windows instanceof CountWindows) return new CountWindowedKStream(this, windows);
    return new TimeWindowedKStream(this, windows);
  }

  /**
   * @internal Adds the repartition topic if needed and returns the node that feeds the
   * aggregation. `base` names the topic when no grouping name was given.
   */
  prepareInput(base: string): string {
    if (!this.repartitionRequired) return this.node;
    const named = this.groupName !== undefined;
    return this.builder.repartition(this.node, this.groupName ?? base, named, this.keySerde as Serde<unknown> | undefined, this.valueSerde as Serde<unknown> | undefined);
  }

  private aggregateWith<VA>(
    prefix: string,
    named: string | undefined,
    materialized: Materialized<K, VA>,
    initializer: (() => VA) | undefined,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    firstValue: ((value: V) => VA) | undefined,
  ): KTable<K, VA> {
    const storeName = materialized.store ?? this.builder.newStoreName(prefix);
    const name = this.builder.name(named, prefix);
    const parent = this.prepareInput(storeName);
    const keySerde = materialized.keySerde ?? this.keySerde;
    this.builder.topology.addProcessor(name, () => new StreamAggregateProcessor<K, V, VA>(storeName, initializer, aggregator, firstValue), parent);
    this.builder.topology.addStateStore(keyValueStoreFor(storeName, materialized, keySerde, materialized.valueSerde), name);
    return new KTable<K, VA>(this.builder, name, keySerde, materialized.valueSerde, storeValueGetter(storeName), storeName);
  }
}
