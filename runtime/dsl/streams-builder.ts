import type { Serde } from '../serde/serde.ts';
import type { StoreBuilder } from '../state/stores.ts';
import { GlobalKTable } from './global-ktable.ts';
import { InternalBuilder } from './internal/internal-builder.ts';
import { keyValueStoreFor } from './internal/materialize.ts';
import { TableUpsertProcessor } from './internal/processors/table-processors.ts';
import { storeValueGetter } from './internal/value-getter.ts';
import { KStream } from './kstream.ts';
import { KTable } from './ktable.ts';
import { isTopicDescriptor, type Consumed, type Materialized, type TopicDescriptor } from './options.ts';
import type { Topology } from './topology.ts';
import { buildVersionedTable, type VersionedKTable, type VersionedMaterialized } from './versioned-ktable.ts';

/**
 * Entry point of the DSL (Kafka's StreamsBuilder): declare streams and tables over
 * topics, chain operators, then `build()` the Topology. Topics may be given by name
 * (serdes from `consumed` or the defaults) or as a TopicDescriptor carrying its serdes.
 */
export class StreamsBuilder {
  private readonly internal = new InternalBuilder();

  stream<K, V>(topics: string | readonly string[] | TopicDescriptor<K, V>, consumed: Consumed<K, V> = {}): KStream<K, V> {
    const { names, keySerde, valueSerde } = this.resolve(topics, consumed);
    const name = this.internal.name(consumed.name, 'KSTREAM-SOURCE-');
    this.internal.topology.addSource(name, names, { keySerde, valueSerde, timestampExtractor: consumed.timestampExtractor });
    return new KStream(this.internal, name, keySerde, valueSerde, false);
  }

  /** A table over a topic: each record upserts its key, a null value deletes it. Always materialized. */
  table<K, V>(topic: string | TopicDescriptor<K, V>, consumed: Consumed<K, V> = {}, materialized: Materialized<K, V> = {}): KTable<K, V> {
    const { names, keySerde, valueSerde } = this.resolve(topic, consumed);
    const sourceName = this.internal.name(consumed.name, 'KSTREAM-SOURCE-');
    const storeName = materialized.store ?? this.internal.newName(`${names[0]}-STATE-STORE-`);
    const name = this.internal.newName('KTABLE-SOURCE-');
    this.internal.topology.addSource(sourceName, names, { keySerde, valueSerde, timestampExtractor: consumed.timestampExtractor });
    this.internal.topology.addProcessor(name, () => new TableUpsertProcessor<K, V>(storeName), sourceName);
    const ks = materialized.keySerde ?? keySerde;
    const vs = materialized.valueSerde ?? valueSerde;
    this.internal.topology.addStateStore(keyValueStoreFor(storeName, materialized, ks, vs), name);
    return new KTable(this.internal, name, ks, vs, storeValueGetter(storeName), storeName);
  }

  /** A table replicated to every task; its topic is its changelog (logging is off). */
  globalTable<K, V>(topic: string | TopicDescriptor<K, V>, consumed: Consumed<K, V> = {}, materialized: Materialized<K, V> = {}): GlobalKTable<K, V> {
    const { names, keySerde, valueSerde } = this.resolve(topic, consumed);
    const sourceName = this.internal.name(consumed.name, 'KSTREAM-SOURCE-');
    const storeName = materialized.store ?? this.internal.newName(`${names[0]}-STATE-STORE-`);
    const name = this.internal.newName('KTABLE-SOURCE-');
    const ks = materialized.keySerde ?? keySerde;
    const vs = materialized.valueSerde ?? valueSerde;
    const builder = keyValueStoreFor(storeName, { ...materialized, logging: false }, ks, vs);
    this.internal.topology.addGlobalStore(builder, sourceName, names[0]!, { keySerde, valueSerde, timestampExtractor: consumed.timestampExtractor }, name, () => new TableUpsertProcessor<K, V>(storeName));
    return new GlobalKTable(storeName, ks, vs, storeValueGetter(storeName));
  }

  /**
   * A table that keeps every version of each key for `historyRetention` (event-time
   * issue): joins of a stream with it are temporal, each record joining the version valid
   * at its event time. See VersionedKTable.
   */
  versionedTable<K, V>(topic: string | TopicDescriptor<K, V>, consumed: Consumed<K, V>, materialized: VersionedMaterialized<K, V>): VersionedKTable<K, V> {
    const { names, keySerde, valueSerde } = this.resolve(topic, consumed);
    return buildVersionedTable(this.internal, names, keySerde, valueSerde, consumed, materialized);
  }

  /** Registers a store for `KStream.process(supplier, { stores: [name] })`. */
  addStateStore(builder: StoreBuilder): this {
    this.internal.topology.addStateStore(builder);
    return this;
  }

  build(): Topology {
    return this.internal.topology;
  }

  private resolve<K, V>(topics: string | readonly string[] | TopicDescriptor<K, V>, consumed: Consumed<K, V>): { names: string[]; keySerde: Serde<K> | undefined; valueSerde: Serde<V> | undefined } {
    if (typeof topics === 'string') return { names: [topics], keySerde: consumed.keySerde, valueSerde: consumed.valueSerde };
    if (isTopicDescriptor(topics as string | TopicDescriptor<K, V>) && !Array.isArray(topics)) {
      const d = topics as TopicDescriptor<K, V>;
      return { names: [d.name], keySerde: consumed.keySerde ?? d.keySerde, valueSerde: consumed.valueSerde ?? d.valueSerde };
    }
    return { names: [...(topics as readonly string[])], keySerde: consumed.keySerde, valueSerde: consumed.valueSerde };
  }
}
