import type { Serde } from '../serde/serde.ts';
import type { InternalBuilder } from './internal/internal-builder.ts';
import { keyValueStoreFor } from './internal/materialize.ts';
import { TableGroupBySelectProcessor } from './internal/processors/table-aggregate-processors.ts';
import { TableToStreamProcessor, TableTransformProcessor } from './internal/processors/table-processors.ts';
import { mappedValueGetter, storeValueGetter, type ValueGetterSupplier } from './internal/value-getter.ts';
import { joinTable } from './internal/joins/table-joins.ts';
import { suppressTable } from './internal/suppress.ts';
import { KGroupedTable } from './kgrouped-table.ts';
import type { Suppressed } from './suppressed.ts';
import { KStream } from './kstream.ts';
import type { Grouped, KeyValue, Materialized } from './options.ts';

/**
 * A changelog stream seen as a table: the latest value per key (Kafka's KTable).
 * Between its operators flow changes (new and old value); `toStream()` turns them
 * into a stream of updates, where a delete is a record with a null value. filter and
 * mapValues are computed on the fly unless given a Materialized, which stores their
 * result (queryable by name).
 *
 * `valueGetter` lets joins (event-time issue) look values up from a task.
 */
export class KTable<K, V> {
  /** @internal */
  constructor(
    readonly builder: InternalBuilder,
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** @internal */
    readonly valueGetter: ValueGetterSupplier<K, V>,
    /** Name of the store holding this table, if it is materialized. */
    readonly storeName: string | undefined,
  ) {}

  filter(predicate: (key: K, value: V) => boolean, materialized?: Materialized<K, V>, named?: string): KTable<K, V> {
    const f = (key: K, value: V): V | null => (predicate(key, value) ? value : null);
    return this.transform('KTABLE-FILTER-', named, f, materialized, this.valueSerde);
  }

  filterNot(predicate: (key: K, value: V) => boolean, materialized?: Materialized<K, V>, named?: string): KTable<K, V> {
    const f = (key: K, value: V): V | null => (predicate(key, value) ? null : value);
    return this.transform('KTABLE-FILTER-', named, f, materialized, this.valueSerde);
  }

  mapValues<V2>(mapper: (value: V, key: K) => V2, materialized?: Materialized<K, V2>, named?: string): KTable<K, V2> {
    return this.transform('KTABLE-MAPVALUES-', named, (key: K, value: V) => mapper(value, key), materialized, undefined);
  }

  /** The stream of this table's updates; a deleted key yields a record with a null value. */
  toStream(named?: string): KStream<K, V> {
    const name = this.builder.name(named, 'KTABLE-TOSTREAM-');
    this.builder.topology.addProcessor(name, () => new TableToStreamProcessor<K, V>(), this.node);
    return new KStream<K, V>(this.builder, name, this.keySerde, this.valueSerde, false);
  }

  /**
   * Re-groups the rows by a new key for an aggregation with adder and subtractor; always
   * repartitions. When a row changes, its old value is subtracted from its old group and
   * its new value added to its new group.
   */
  groupBy<K2, V2>(selector: (key: K, value: V) => KeyValue<K2, V2>, grouped: Grouped<K2, V2> = {}): KGroupedTable<K2, V2> {
    const name = this.builder.name(grouped.name === undefined ? undefined : `${grouped.name}-select`, 'KTABLE-SELECT-');
    this.builder.topology.addProcessor(name, () => new TableGroupBySelectProcessor(selector), this.node);
    return new KGroupedTable(this.builder, name, grouped.keySerde, grouped.valueSerde, grouped.name);
  }

  /**
   * Table-table inner join on the key (event-time issue): a row change on either side is
   * joined with the other side's current row. Both tables must be co-partitioned. With a
   * `foreignKey` extractor instead, each row of this table joins the row of `other` whose
   * key is `foreignKey(value)` (foreign-key join; updates of either side re-join).
   */
  join<VO, VR>(other: KTable<K, VO>, joiner: (value: V, other: VO, key: K) => VR, materialized?: Materialized<K, VR>, named?: string): KTable<K, VR>;
  join<KO, VO, VR>(other: KTable<KO, VO>, foreignKey: (value: V) => KO, joiner: (value: V, other: VO) => VR, materialized?: Materialized<K, VR>, named?: string): KTable<K, VR>;
  join(other: unknown, a: unknown, b?: unknown, c?: unknown, d?: unknown): KTable<K, unknown> {
    return joinTable(this, 'inner', other, a, b, c, d);
  }

  /** As `join`, but every row of this table yields a result, with a null partner when it has none. */
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V, other: VO | null, key: K) => VR, materialized?: Materialized<K, VR>, named?: string): KTable<K, VR>;
  leftJoin<KO, VO, VR>(other: KTable<KO, VO>, foreignKey: (value: V) => KO, joiner: (value: V, other: VO | null) => VR, materialized?: Materialized<K, VR>, named?: string): KTable<K, VR>;
  leftJoin(other: unknown, a: unknown, b?: unknown, c?: unknown, d?: unknown): KTable<K, unknown> {
    return joinTable(this, 'left', other, a, b, c, d);
  }

  /** Table-table join where a row of either side yields a result, with a null partner when it has none. */
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V | null, other: VO | null, key: K) => VR, materialized?: Materialized<K, VR>, named?: string): KTable<K, VR> {
    return joinTable(this, 'outer', other, joiner, materialized, named, undefined) as KTable<K, VR>;
  }

  /** Holds a windowed table's updates until each window closes (see Suppressed); only for windowed aggregation results. */
  suppress(suppressed: Suppressed): KTable<K, V> {
    return suppressTable(this, suppressed);
  }

  private transform<V2>(
    prefix: string,
    named: string | undefined,
    f: (key: K, value: V) => V2 | null,
    materialized: Materialized<K, V2> | undefined,
    valueSerde: Serde<V2> | undefined,
  ): KTable<K, V2> {
    const name = this.builder.name(named, prefix);
    const storeName = materialized === undefined ? undefined : (materialized.store ?? this.builder.newStoreName(prefix));
    this.builder.topology.addProcessor(name, () => new TableTransformProcessor<K, V, V2>(f, storeName), this.node);
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const outSerde = materialized?.valueSerde ?? valueSerde;
    if (storeName === undefined) {
      return new KTable(this.builder, name, keySerde, outSerde, mappedValueGetter(this.valueGetter, f), undefined);
    }
    this.builder.topology.addStateStore(keyValueStoreFor(storeName, materialized, keySerde, outSerde), name);
    return new KTable(this.builder, name, keySerde, outSerde, storeValueGetter(storeName), storeName);
  }
}
