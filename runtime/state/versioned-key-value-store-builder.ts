import { BytesSerde } from '../serde/bytes-serde.ts';
import type { Serde } from '../serde/serde.ts';
import { resolveSerde } from '../windows/internal/resolve-serde.ts';
import { Stores, type SerdeDefaults, type StoreBuildOptions, type StoreBuilder } from './stores.ts';
import { VersionedKeyValueStore } from './versioned-key-value-store.ts';

const BYTES = new BytesSerde();

/**
 * Builds a VersionedKeyValueStore over an in-memory or LevelDB byte store with change
 * logging (no cache: versions must reach the changelog in write order).
 */
export class VersionedKeyValueStoreBuilder<K, V> implements StoreBuilder<VersionedKeyValueStore<K, V>> {
  readonly cachingEnabled = false;
  readonly logConfig: Readonly<Record<string, string>> = {};

  constructor(
    readonly name: string,
    readonly persistent: boolean,
    readonly historyRetentionMs: number,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
    readonly loggingEnabled = true,
  ) {}

  build(defaults: SerdeDefaults = {}, options: StoreBuildOptions = {}): VersionedKeyValueStore<K, V> {
    const supplier = this.persistent
      ? Stores.persistentKeyValueStore(this.name)
      : Stores.inMemoryKeyValueStore(this.name);
    const builder = Stores.keyValueStoreBuilder(supplier, BYTES, BYTES).withCachingDisabled();
    if (!this.loggingEnabled) builder.withLoggingDisabled();
    const inner = builder.build(defaults, { cacheMaxBytes: options.cacheMaxBytes });
    return new VersionedKeyValueStore(
      inner,
      resolveSerde(this.keySerde, defaults, 'key', this.name),
      resolveSerde(this.valueSerde, defaults, 'value', this.name),
      this.historyRetentionMs,
    );
  }
}
