import type { Serde } from '../../serde/serde.ts';
import { ChangeLoggingWindowStore } from '../../state/change-logging-window-store.ts';
import { inMemoryWindowStore, persistentWindowStore } from '../../state/segmented-window-store.ts';
import { CachingWindowStore } from '../../state/caching-window-store.ts';
import type { SerdeDefaults, StoreBuildOptions, StoreBuilder } from '../../state/stores.ts';
import { TypedWindowStore } from '../../state/typed-window-store.ts';
import type { WindowStore, WindowStoreOptions } from '../../state/window-store.ts';
import { resolveSerde } from './resolve-serde.ts';

/**
 * Builds the state module's window stores for windowed operators:
 * typed(caching?(changeLogging?(segmented(LevelDB | memory)))). The changelog is compacted and
 * deleted after the retention plus a day (`cleanup.policy=compact,delete`), as Kafka
 * Streams configures window changelogs, so it does not grow without bound. Serdes may be
 * deferred (resolved against the application defaults when a task builds the store).
 */
export class WindowStoreBuilder<K, V> implements StoreBuilder<WindowStore<K, V>> {
  /** A cache in front (CachingWindowStore); never for stores retaining duplicates (joins). */
  readonly cachingEnabled: boolean;
  readonly loggingEnabled: boolean;
  readonly logConfig: Readonly<Record<string, string>>;

  constructor(
    readonly name: string,
    readonly persistent: boolean,
    private readonly options: WindowStoreOptions,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
    logging: boolean,
    caching = false,
  ) {
    this.loggingEnabled = logging;
    this.cachingEnabled = caching && options.retainDuplicates !== true;
    this.logConfig = { 'cleanup.policy': 'compact,delete', 'retention.ms': String(options.retentionMs + 86_400_000) };
  }

  build(defaults: SerdeDefaults = {}, options: StoreBuildOptions = {}): WindowStore<K, V> {
    const keySerde = resolveSerde(this.keySerde, defaults, 'key', this.name);
    const valueSerde = resolveSerde(this.valueSerde, defaults, 'value', this.name);
    const inner = this.persistent
      ? persistentWindowStore(this.name, this.options)
      : inMemoryWindowStore(this.name, this.options);
    const logged = this.loggingEnabled ? new ChangeLoggingWindowStore(inner) : inner;
    const cached = this.cachingEnabled && options.cacheMaxBytes !== 0 ? new CachingWindowStore(logged, { maxBytes: options.cacheMaxBytes }) : logged;
    return new TypedWindowStore(cached, keySerde, valueSerde);
  }
}
