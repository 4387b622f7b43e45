import { LongSerde } from '../serde/long-serde.ts';
import type { Serde } from '../serde/serde.ts';
import { ChangeSerde } from './internal/change.ts';
import { DeferredSerde } from './internal/deferred-serde.ts';
import type { InternalBuilder } from './internal/internal-builder.ts';
import { keyValueStoreFor } from './internal/materialize.ts';
import { TableAggregateProcessor } from './internal/processors/table-aggregate-processors.ts';
import { storeValueGetter } from './internal/value-getter.ts';
import { KTable } from './ktable.ts';
import type { Materialized } from './options.ts';

const LONG = new LongSerde();

/**
 * A table re-grouped by a new key (Kafka's KGroupedTable). Its aggregations take an
 * adder and a subtractor: when a row changes, the subtractor removes its old value
 * from the old group's aggregate and the adder adds its new value to the new group's.
 * The rows travel through `<application.id>-<name>-repartition`.
 */
export class KGroupedTable<K, V> {
  /** @internal */
  constructor(
    readonly builder: InternalBuilder,
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly groupName: string | undefined,
  ) {}

  count(materialized: Materialized<K, number> = {}, named?: string): KTable<K, number> {
    return this.aggregateWith('KTABLE-AGGREGATE-', named, { valueSerde: LONG, ...materialized }, () => 0, (_k, _v, n) => n + 1, (_k, _v, n) => n - 1, undefined);
  }

  reduce(adder: (aggregate: V, value: V) => V, subtractor: (aggregate: V, value: V) => V, materialized: Materialized<K, V> = {}, named?: string): KTable<K, V> {
    return this.aggregateWith(
      'KTABLE-REDUCE-',
      named,
      { valueSerde: this.valueSerde, ...materialized },
      undefined,
      (_k, v, agg) => adder(agg, v),
      (_k, v, agg) => subtractor(agg, v),
      (v) => v,
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    adder: (key: K, value: V, aggregate: VA) => VA,
    subtractor: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
    named?: string,
  ): KTable<K, VA> {
    return this.aggregateWith('KTABLE-AGGREGATE-', named, materialized, initializer, adder, subtractor, undefined);
  }

  private aggregateWith<VA>(
    prefix: string,
    named: string | undefined,
    materialized: Materialized<K, VA>,
    initializer: (() => VA) | undefined,
    adder: (key: K, value: V, aggregate: VA) => VA,
    subtractor: (key: K, value: V, aggregate: VA) => VA,
    firstValue: ((value: V) => VA) | undefined,
  ): KTable<K, VA> {
    const storeName = materialized.store ?? this.builder.newStoreName(prefix);
    const valueSerde = this.valueSerde;
    const changeSerde = new DeferredSerde((defaults) => {
      const inner = valueSerde ?? (defaults.valueSerde as Serde<V> | undefined);
      if (inner === undefined) throw new TypeError(`groupBy before ${storeName} has no value serde and no default is configured`);
      return new ChangeSerde(inner) as Serde<unknown>;
    });
    const name = this.builder.name(named, prefix);
    const source = this.builder.repartition(this.node, this.groupName ?? storeName, this.groupName !== undefined, this.keySerde as Serde<unknown> | undefined, changeSerde);
    const keySerde = materialized.keySerde ?? this.keySerde;
    this.builder.topology.addProcessor(name, () => new TableAggregateProcessor<K, V, VA>(storeName, initializer, adder, subtractor, firstValue), source);
    this.builder.topology.addStateStore(keyValueStoreFor(storeName, materialized, keySerde, materialized.valueSerde), name);
    return new KTable<K, VA>(this.builder, name, keySerde, materialized.valueSerde, storeValueGetter(storeName), storeName);
  }
}
