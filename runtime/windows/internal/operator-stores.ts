import { keyValueStoreFor } from '../../dsl/internal/materialize.ts';
import { LongSerde } from '../../serde/long-serde.ts';
import { StringSerde } from '../../serde/string-serde.ts';
import type { KeyValueStoreBuilder } from '../../state/stores.ts';

/** Name of the small store where a windowed operator keeps its stream time. */
export function streamTimeStoreName(storeName: string): string {
  return `${storeName}-stream-time`;
}

/** The stream-time store of a windowed operator: cached (one write per commit) and logged. */
export function streamTimeStore(
  storeName: string,
  persistent: boolean,
  logging: boolean,
): KeyValueStoreBuilder<string, number> {
  return keyValueStoreFor(
    streamTimeStoreName(storeName),
    { storeType: persistent ? 'persistent' : 'inMemory', caching: true, logging },
    new StringSerde(),
    new LongSerde(),
  );
}
