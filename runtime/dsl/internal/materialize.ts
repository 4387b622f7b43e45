import { TopologyError } from '../../errors/runtime-errors.ts';
import type { Serde } from '../../serde/serde.ts';
import { Stores, type KeyValueStoreBuilder } from '../../state/stores.ts';
import { TtlKeyValueStoreBuilder } from '../../state/ttl-key-value-store.ts';
import { toMillis } from '../../windows/duration.ts';
import type { Materialized } from '../options.ts';

/**
 * The store builder of a Materialized: persistent (the default, as Kafka Streams') or
 * in-memory (or the given supplier), caching and logging on unless turned off. Serdes missing here are taken
 * from the application defaults when the store is built.
 */
export function keyValueStoreFor<K, V>(
  name: string,
  materialized: Materialized<K, V> | undefined,
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<V> | undefined,
): KeyValueStoreBuilder<K, V> {
  const m = materialized ?? {};
  if (m.storeSupplier !== undefined && m.store !== undefined && m.storeSupplier.name !== m.store) {
    throw new TopologyError(`Materialized store name ${m.store} differs from its supplier's name ${m.storeSupplier.name}`);
  }
  const supplier = m.storeSupplier ?? (m.storeType === 'inMemory' ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name));
  const builder =
    m.ttl === undefined
      ? Stores.keyValueStoreBuilder(supplier, m.keySerde ?? keySerde, m.valueSerde ?? valueSerde)
      : new TtlKeyValueStoreBuilder(supplier, m.keySerde ?? keySerde, m.valueSerde ?? valueSerde, toMillis(m.ttl, `Materialized ttl of ${name}`));
  if (m.logging === false) builder.withLoggingDisabled();
  else builder.withLoggingEnabled(m.logConfig ?? {});
  if (m.caching === false) builder.withCachingDisabled();
  else builder.withCachingEnabled();
  return builder;
}
