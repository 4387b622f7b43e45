import { TopologyError } from '../errors/runtime-errors.ts';
import type { Serde } from '../serde/serde.ts';
import type { CachingOptions } from './caching-key-value-store.ts';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { TypedKeyValueStore } from './internal/typed-key-value-store.ts';
import { decorateKeyValueBytesStore, meterKeyValueStore } from './key-value-store-stack.ts';
import { LevelKeyValueStore } from './level-key-value-store.ts';
import type { StoreMetrics } from './metered-key-value-store.ts';
import type { KeyValueStore, StateStore } from './state-store.ts';

/** Supplies the innermost byte store of a key-value store (one instance per task). */
export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  readonly persistent: boolean;
  get(): KeyValueStore<Buffer, Buffer>;
}

/** Serdes to use where a store builder was given none (the application's defaults). */
export interface SerdeDefaults {
  keySerde?: Serde<unknown>;
  valueSerde?: Serde<unknown>;
}

/** What the running instance adds when a task builds its stores. */
export interface StoreBuildOptions {
  /** Metrics sink: adds the metered layer on top. */
  metrics?: StoreMetrics;
  /** Cache bound for stores with caching on (statestore.cache.max.bytes); default 10 MiB. */
  cacheMaxBytes?: number;
}

/**
 * Describes a store and builds one instance of it per task. The topology registers
 * builders; tasks call `build` when they start. Logging on means every write goes to
 * the changelog topic `<application.id>-<name>-changelog` (compacted), from which the
 * store is restored.
 */
export interface StoreBuilder<S extends StateStore = StateStore> {
  readonly name: string;
  readonly persistent: boolean;
  readonly loggingEnabled: boolean;
  /** Topic configs of the changelog, on top of `cleanup.policy=compact`. */
  readonly logConfig: Readonly<Record<string, string>>;
  readonly cachingEnabled: boolean;
  build(defaults?: SerdeDefaults, options?: StoreBuildOptions): S;
}

/**
 * Builds key-value stores as Kafka Streams stacks them:
 * metered?(typed(caching?(changeLogging?(inner)))). Logging is on and caching off by
 * default, as for Kafka Streams' Processor API store builders. The cache batches store
 * and changelog writes between commits; DSL operators still forward every update.
 */
export class KeyValueStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
  loggingEnabled = true;
  cachingEnabled = false;
  logConfig: Record<string, string> = {};

  constructor(
    readonly supplier: KeyValueBytesStoreSupplier,
    private readonly keySerde?: Serde<K>,
    private readonly valueSerde?: Serde<V>,
  ) {}

  get name(): string {
    return this.supplier.name;
  }

  get persistent(): boolean {
    return this.supplier.persistent;
  }

  withLoggingEnabled(config: Record<string, string> = {}): this {
    this.loggingEnabled = true;
    this.logConfig = { ...config };
    return this;
  }

  withLoggingDisabled(): this {
    this.loggingEnabled = false;
    return this;
  }

  /** Caches writes between commits, up to `maxBytes` (default: the instance's cache size). */
  withCachingEnabled(maxBytes?: number): this {
    this.cachingEnabled = true;
    this.cacheMaxBytes = maxBytes;
    return this;
  }

  private cacheMaxBytes: number | undefined;

  withCachingDisabled(): this {
    this.cachingEnabled = false;
    return this;
  }

  build(defaults: SerdeDefaults = {}, options: StoreBuildOptions = {}): KeyValueStore<K, V> {
    const keySerde = this.keySerde ?? (defaults.keySerde as Serde<K> | undefined);
    const valueSerde = this.valueSerde ?? (defaults.valueSerde as Serde<V> | undefined);
    if (keySerde === undefined || valueSerde === undefined) {
      throw new TopologyError(`store ${this.name} has no ${keySerde === undefined ? 'key' : 'value'} serde and no default is configured`, {
        context: { store: this.name },
      });
    }
    // A cache size of 0 (statestore.cache.max.bytes=0) turns caching off, as in Kafka Streams.
    const maxBytes = options.cacheMaxBytes ?? this.cacheMaxBytes;
    const caching: CachingOptions | false = this.cachingEnabled && maxBytes !== 0 ? { maxBytes } : false;
    const bytes = decorateKeyValueBytesStore(this.supplier.get(), { logging: this.loggingEnabled, caching });
    return meterKeyValueStore(new TypedKeyValueStore(bytes, keySerde, valueSerde), options.metrics);
  }
}

/** Factories of store suppliers and builders, named as in Kafka Streams. */
export const Stores = {
  /** A store held in memory, restored from its changelog when a task starts. */
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return { name, persistent: false, get: () => new InMemoryKeyValueStore(name) };
  },
  /** A store on LevelDB under `<state.dir>/<application.id>/<taskId>/<name>`. */
  persistentKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return { name, persistent: true, get: () => new LevelKeyValueStore(name) };
  },
  keyValueStoreBuilder<K, V>(supplier: KeyValueBytesStoreSupplier, keySerde?: Serde<K>, valueSerde?: Serde<V>): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(supplier, keySerde, valueSerde);
  },
};
