import type { Serde } from '../serde/serde.ts';
import { VersionedKeyValueStoreBuilder } from '../state/versioned-key-value-store-builder.ts';
import type { VersionedKeyValueStore } from '../state/versioned-key-value-store.ts';
import { toMillis, type Duration } from '../windows/duration.ts';
import { LATE_EVENTS_TOPIC_CONFIG, LATE_EVENTS_TOPIC_SUFFIX } from '../windows/late-events.ts';
import type { InternalBuilder } from './internal/internal-builder.ts';
import { VersionedTableProcessor } from './internal/processors/versioned-table-processor.ts';
import type { ValueGetterSupplier } from './internal/value-getter.ts';
import { KTable } from './ktable.ts';
import type { Consumed } from './options.ts';

/** How a versioned table is stored. */
export interface VersionedMaterialized<K, V> {
  /** Name of the store (and of its changelog); generated when absent. */
  store?: string;
  /** How long old versions are kept, in event time (e.g. '30d'). */
  historyRetention: Duration;
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /** Default 'persistent' (as every DSL store). */
  storeType?: 'inMemory' | 'persistent';
  /** Where writes older than the history retention go; default `<application.id>-late-events`. */
  lateEventsTopic?: string;
}

/**
 * A table that keeps every version of each key for its history retention (a slowly
 * changing dimension, SCD type 2). As a KTable it shows the latest version; a
 * `KStream.join` / `leftJoin` with it is temporal: each stream record joins the version
 * that was valid at the record's event time. Out-of-order table updates within the
 * history retention are placed where they belong in the history.
 */
export class VersionedKTable<K, V> extends KTable<K, V> {
  /** @internal */
  constructor(
    builder: InternalBuilder,
    node: string,
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    valueGetter: ValueGetterSupplier<K, V>,
    readonly versionedStoreName: string,
  ) {
    super(builder, node, keySerde, valueSerde, valueGetter, versionedStoreName);
  }
}

/** @internal StreamsBuilder.versionedTable: source, versioned store, result node, late sink. */
export function buildVersionedTable<K, V>(
  builder: InternalBuilder,
  topics: readonly string[],
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<V> | undefined,
  consumed: Consumed<K, V>,
  options: VersionedMaterialized<K, V>,
): VersionedKTable<K, V> {
  const topology = builder.topology;
  const sourceName = builder.name(consumed.name, 'KSTREAM-SOURCE-');
  const storeName = options.store ?? builder.newName(`${topics[0]}-VERSIONED-STORE-`);
  const name = builder.newName('KTABLE-VERSIONED-SOURCE-');
  const resultNode = `${name}-RESULT`;
  const lateChild = `${name}-LATE-EVENTS`;
  const ks = options.keySerde ?? keySerde;
  const vs = options.valueSerde ?? valueSerde;
  topology.addSource(sourceName, topics, { keySerde, valueSerde, timestampExtractor: consumed.timestampExtractor });
  topology.addProcessor(name, () => new VersionedTableProcessor<K, V>(storeName, resultNode, lateChild), sourceName);
  const retention = toMillis(options.historyRetention, 'versioned table historyRetention');
  topology.addStateStore(
    new VersionedKeyValueStoreBuilder(storeName, options.storeType !== 'inMemory', retention, ks, vs),
    name,
  );
  builder.passThrough(resultNode, name);
  let lateTopic = options.lateEventsTopic;
  if (lateTopic === undefined) {
    lateTopic = LATE_EVENTS_TOPIC_SUFFIX;
    topology.addInternalOutputTopic(lateTopic, LATE_EVENTS_TOPIC_CONFIG);
  }
  topology.addSink(lateChild, lateTopic, { keySerde, valueSerde }, name);
  const getter: ValueGetterSupplier<K, V> = {
    storeNames: [storeName],
    get: () => {
      let store!: VersionedKeyValueStore<K, V>;
      return {
        init: (context) => {
          store = context.getStateStore<VersionedKeyValueStore<K, V>>(storeName);
        },
        get: (key) => store.getLatest(key)?.value ?? null,
      };
    },
  };
  return new VersionedKTable(builder, resultNode, ks, vs, getter, storeName);
}
