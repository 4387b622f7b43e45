import type { Serde } from '../../serde/serde.ts';
import type { KeyValueStore } from '../../state/state-store.ts';
import { Stores, type SerdeDefaults, type StoreBuildOptions, type StoreBuilder } from '../../state/stores.ts';

/**
 * A logged, uncached key-value store whose serdes are only known once the application's
 * default serdes are (e.g. a wrapper around a default value serde): `serdes` is called
 * with the defaults when a task builds the store.
 */
export function deferredKeyValueStore<K, V>(
  name: string,
  persistent: boolean,
  logging: boolean,
  serdes: (defaults: SerdeDefaults) => { keySerde: Serde<K>; valueSerde: Serde<V> },
): StoreBuilder<KeyValueStore<K, V>> {
  return {
    name,
    persistent,
    loggingEnabled: logging,
    logConfig: {},
    cachingEnabled: false,
    build: (defaults: SerdeDefaults = {}, options?: StoreBuildOptions) => {
      const { keySerde, valueSerde } = serdes(defaults);
      const supplier = persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
      const builder = Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde).withCachingDisabled();
      if (!logging) builder.withLoggingDisabled();
      return builder.build(defaults, options);
    },
  };
}
