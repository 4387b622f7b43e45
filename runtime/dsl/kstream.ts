import type { ProcessorSupplier } from '../processor/processor.ts';
import type { Serde } from '../serde/serde.ts';
import { BranchedKStream } from './branched-kstream.ts';
import type { GlobalKTable } from './global-ktable.ts';
import { joinStream } from './internal/joins/stream-joins.ts';
import type { JoinWindows } from './join-windows.ts';
import type { Joined, StreamJoined } from './joined.ts';
import type { InternalBuilder } from './internal/internal-builder.ts';
import { keyValueStoreFor } from './internal/materialize.ts';
import { TableUpsertProcessor } from './internal/processors/table-processors.ts';
import {
  FilterProcessor,
  FlatMapProcessor,
  FlatMapValuesProcessor,
  MapProcessor,
  MapValuesProcessor,
  PeekProcessor,
  SelectKeyProcessor,
} from './internal/processors/stateless-processors.ts';
import { storeValueGetter } from './internal/value-getter.ts';
import { KGroupedStream } from './kgrouped-stream.ts';
import { KTable } from './ktable.ts';
import { isTopicDescriptor, type Grouped, type KeyValue, type Materialized, type Produced, type Repartitioned, type TopicDescriptor } from './options.ts';

/**
 * An unbounded stream of records, as Kafka Streams' KStream. Every operator adds one
 * processor node and returns a new KStream; nothing runs until the topology is started.
 * Operators that may change the key (map, flatMap, selectKey, groupBy) mark the stream
 * so that the next stateful operation first writes it through a repartition topic,
 * bringing equal keys to one task.
 *
 * Later operators (windowedBy on the grouped stream, joins) build on the same
 * `builder`, `node` and serdes.
 */
export class KStream<K, V> {
  /** @internal */
  constructor(
    readonly builder: InternalBuilder,
    /** @internal name of the node whose output this stream is. */
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** @internal the key may have changed since the last partitioning. */
    readonly repartitionRequired: boolean,
  ) {}

  filter(predicate: (key: K, value: V) => boolean, named?: string): KStream<K, V> {
    return this.then('KSTREAM-FILTER-', named, () => new FilterProcessor(predicate, true), this.keySerde, this.valueSerde, false);
  }

  filterNot(predicate: (key: K, value: V) => boolean, named?: string): KStream<K, V> {
    return this.then('KSTREAM-FILTER-', named, () => new FilterProcessor(predicate, false), this.keySerde, this.valueSerde, false);
  }

  /** New key and value per record; the key may change, so downstream aggregations repartition. */
  map<K2, V2>(mapper: (key: K, value: V) => KeyValue<K2, V2>, named?: string): KStream<K2, V2> {
    return this.then('KSTREAM-MAP-', named, () => new MapProcessor(mapper), undefined, undefined, true);
  }

  mapValues<V2>(mapper: (value: V, key: K) => V2, named?: string): KStream<K, V2> {
    return this.then('KSTREAM-MAPVALUES-', named, () => new MapValuesProcessor(mapper), this.keySerde, undefined, false);
  }

  flatMap<K2, V2>(mapper: (key: K, value: V) => Iterable<KeyValue<K2, V2>>, named?: string): KStream<K2, V2> {
    return this.then('KSTREAM-FLATMAP-', named, () => new FlatMapProcessor(mapper), undefined, undefined, true);
  }

  flatMapValues<V2>(mapper: (value: V, key: K) => Iterable<V2>, named?: string): KStream<K, V2> {
    return this.then('KSTREAM-FLATMAPVALUES-', named, () => new FlatMapValuesProcessor(mapper), this.keySerde, undefined, false);
  }

  selectKey<K2>(selector: (key: K, value: V) => K2, named?: string): KStream<K2, V> {
    return this.then('KSTREAM-KEY-SELECT-', named, () => new SelectKeyProcessor(selector), undefined, this.valueSerde, true);
  }

  peek(action: (key: K, value: V) => void, named?: string): KStream<K, V> {
    return this.then('KSTREAM-PEEK-', named, () => new PeekProcessor(action, true), this.keySerde, this.valueSerde, false);
  }

  /** A terminal action per record. */
  foreach(action: (key: K, value: V) => void, named?: string): void {
    this.then('KSTREAM-FOREACH-', named, () => new PeekProcessor(action, false), this.keySerde, this.valueSerde, false);
  }

  /** Splits the stream by predicates: each record goes to the first matching branch. */
  split(named?: string): BranchedKStream<K, V> {
    return new BranchedKStream(this, this.builder.name(named, 'KSTREAM-BRANCH-'), named ?? '');
  }

  /** Both streams' records, interleaved in processing order. */
  merge(other: KStream<K, V>, named?: string): KStream<K, V> {
    const name = this.builder.name(named, 'KSTREAM-MERGE-');
    this.builder.passThrough(name, this.node, other.node);
    const sameSerde = <T>(a: Serde<T> | undefined, b: Serde<T> | undefined): Serde<T> | undefined => (a === b ? a : undefined);
    return new KStream(this.builder, name, sameSerde(this.keySerde, other.keySerde), sameSerde(this.valueSerde, other.valueSerde), this.repartitionRequired || other.repartitionRequired);
  }

  /** Writes the stream to a topic. Serdes: `produced`, else the descriptor's, else the stream's, else the defaults. */
  to(topic: string | TopicDescriptor<K, V>, produced: Produced<K, V> = {}): void {
    const descriptor = isTopicDescriptor(topic) ? topic : undefined;
    const name = this.builder.name(produced.name, 'KSTREAM-SINK-');
    this.builder.topology.addSink(
      name,
      descriptor?.name ?? (topic as string),
      {
        keySerde: produced.keySerde ?? descriptor?.keySerde ?? this.keySerde,
        valueSerde: produced.valueSerde ?? descriptor?.valueSerde ?? this.valueSerde,
        partitioner: produced.partitioner,
      },
      this.node,
    );
  }

  /** Writes the stream through `<application.id>-<name>-repartition` and reads it back. */
  repartition(options: Repartitioned<K, V> = {}): KStream<K, V> {
    const base = options.name ?? this.builder.newName('KSTREAM-REPARTITION-');
    const keySerde = options.keySerde ?? this.keySerde;
    const valueSerde = options.valueSerde ?? this.valueSerde;
    const source = this.builder.repartition(
      this.node,
      base,
      options.name !== undefined,
      keySerde as Serde<unknown> | undefined,
      valueSerde as Serde<unknown> | undefined,
      options.numberOfPartitions,
      options.partitioner as Parameters<InternalBuilder['repartition']>[6],
    );
    return new KStream(this.builder, source, keySerde, valueSerde, false);
  }

  /** Runs a custom processor (Processor API) connected to the named stores. */
  process<K2, V2>(supplier: ProcessorSupplier<K, V, K2, V2>, options: { named?: string; stores?: string[] } = {}): KStream<K2, V2> {
    const name = this.builder.name(options.named, 'KSTREAM-PROCESSOR-');
    this.builder.topology.addProcessor(name, supplier, this.node);
    if (options.stores !== undefined && options.stores.length > 0) this.builder.connectStores(name, options.stores);
    return new KStream<K2, V2>(this.builder, name, undefined, undefined, true);
  }

  /**
   * Runs a custom processor that keeps each record's key (Kafka's `processValues`): it may
   * change values, timestamps and headers, and must forward the key it received, so no
   * repartition follows (e.g. setting event time as the timestamp before a windowed aggregation).
   */
  processValues<V2>(supplier: ProcessorSupplier<K, V, K, V2>, options: { named?: string; stores?: string[] } = {}): KStream<K, V2> {
    const name = this.builder.name(options.named, 'KSTREAM-PROCESSVALUES-');
    this.builder.topology.addProcessor(name, supplier, this.node);
    if (options.stores !== undefined && options.stores.length > 0) this.builder.connectStores(name, options.stores);
    return new KStream<K, V2>(this.builder, name, this.keySerde, undefined, this.repartitionRequired);
  }

  groupByKey(grouped: Grouped<K, V> = {}): KGroupedStream<K, V> {
    return new KGroupedStream(this.builder, this.node, grouped.keySerde ?? this.keySerde, grouped.valueSerde ?? this.valueSerde, this.repartitionRequired, grouped.name);
  }

  /** Groups by a new key; the following aggregation repartitions by it. */
  groupBy<K2>(selector: (key: K, value: V) => K2, grouped: Grouped<K2, V> = {}): KGroupedStream<K2, V> {
    const selected = this.selectKey(selector);
    return new KGroupedStream(this.builder, selected.node, grouped.keySerde, grouped.valueSerde ?? this.valueSerde, true, grouped.name);
  }

  /** The stream as a changelog: each record upserts its key (a null value deletes it). */
  toTable(materialized: Materialized<K, V> = {}, named?: string): KTable<K, V> {
    const storeName = materialized.store ?? this.builder.newStoreName('KSTREAM-TOTABLE-');
    const keySerde = materialized.keySerde ?? this.keySerde;
    const valueSerde = materialized.valueSerde ?? this.valueSerde;
    let parent = this.node;
    if (this.repartitionRequired) {
      parent = this.builder.repartition(parent, storeName, materialized.store !== undefined, keySerde as Serde<unknown> | undefined, valueSerde as Serde<unknown> | undefined);
    }
    const name = this.builder.name(named, 'KSTREAM-TOTABLE-');
    this.builder.topology.addProcessor(name, () => new TableUpsertProcessor<K, V>(storeName), parent);
    this.builder.topology.addStateStore(keyValueStoreFor(storeName, materialized, keySerde, valueSerde), name);
    return new KTable(this.builder, name, keySerde, valueSerde, storeValueGetter(storeName), storeName);
  }

  /**
   * Inner join (event-time issue; see runtime/dsl/internal/joins): with a KStream, records
   * of the same key whose times are within the JoinWindows' bound (late records go to the
   * late-events topic); with a KTable, each record joins the table's current row (with a
   * VersionedKTable: the row valid at the record's event time); with a GlobalKTable, the
   * row of `keySelector(key, value)`. Records without a partner yield nothing.
   */
  join<VO, VR>(other: KStream<K, VO>, joiner: (value: V, other: VO, key: K) => VR, windows: JoinWindows, joined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  join<VT, VR>(table: KTable<K, VT>, joiner: (value: V, tableValue: VT, key: K) => VR, joined?: Joined<K, V, VT>): KStream<K, VR>;
  join<KG, VG, VR>(table: GlobalKTable<KG, VG>, keySelector: (key: K, value: V) => KG, joiner: (value: V, tableValue: VG, key: K) => VR, named?: string): KStream<K, VR>;
  join(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, unknown> {
    return joinStream(this, 'inner', other, a, b, c);
  }

  /** As `join`, but every record of this stream yields a result: with a null partner when it has none (stream-stream: once the window has passed). */
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: (value: V, other: VO | null, key: K) => VR, windows: JoinWindows, joined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  leftJoin<VT, VR>(table: KTable<K, VT>, joiner: (value: V, tableValue: VT | null, key: K) => VR, joined?: Joined<K, V, VT>): KStream<K, VR>;
  leftJoin<KG, VG, VR>(table: GlobalKTable<KG, VG>, keySelector: (key: K, value: V) => KG, joiner: (value: V, tableValue: VG | null, key: K) => VR, named?: string): KStream<K, VR>;
  leftJoin(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, unknown> {
    return joinStream(this, 'left', other, a, b, c);
  }

  /** Stream-stream join where records of either side without a partner yield a result with a null partner, once the window has passed. */
  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: (value: V | null, other: VO | null, key: K) => VR, windows: JoinWindows, joined?: StreamJoined<K, V, VO>): KStream<K, VR> {
    return joinStream(this, 'outer', other, joiner, windows, joined) as KStream<K, VR>;
  }

  private then<K2, V2>(
    prefix: string,
    named: string | undefined,
    supplier: ProcessorSupplier<K, V, K2, V2>,
    keySerde: Serde<K2> | undefined,
    valueSerde: Serde<V2> | undefined,
    keyChanging: boolean,
  ): KStream<K2, V2> {
    const name = this.builder.name(named, prefix);
    this.builder.topology.addProcessor(name, supplier, this.node);
    return new KStream(this.builder, name, keySerde, valueSerde, this.repartitionRequired || keyChanging);
  }
}
