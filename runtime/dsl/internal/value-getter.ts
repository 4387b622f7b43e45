import type { ProcessorContext } from '../../processor/processor.ts';
import type { KeyValueStore } from '../../state/state-store.ts';

/** Reads the current value of a KTable for a key, from inside a processor of the same task. */
export interface ValueGetter<K, V> {
  init(context: ProcessorContext<unknown, unknown>): void;
  get(key: K): V | null;
}

/**
 * How joins (and other lookups) reach a KTable's current values: a materialized table
 * reads its store; an unmaterialized filter/mapValues applies itself on top of its
 * parent's getter, as Kafka Streams' KTableValueGetterSupplier. `storeNames` must be
 * connected to the processor that uses the getter.
 */
export interface ValueGetterSupplier<K, V> {
  readonly storeNames: readonly string[];
  get(): ValueGetter<K, V>;
}

export function storeValueGetter<K, V>(storeName: string): ValueGetterSupplier<K, V> {
  return {
    storeNames: [storeName],
    get: () => {
      let store!: KeyValueStore<K, V>;
      return {
        init: (context) => {
          store = context.getStateStore<KeyValueStore<K, V>>(storeName);
        },
        get: (key) => store.get(key) ?? null,
      };
    },
  };
}

export function mappedValueGetter<K, V, V2>(parent: ValueGetterSupplier<K, V>, map: (key: K, value: V) => V2 | null): ValueGetterSupplier<K, V2> {
  return {
    storeNames: parent.storeNames,
    get: () => {
      const inner = parent.get();
      return {
        init: (context) => inner.init(context),
        get: (key) => {
          const v = inner.get(key);
          return v === null ? null : map(key, v);
        },
      };
    },
  };
}
