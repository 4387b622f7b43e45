import type { Serde } from '../../serde/serde.ts';
import { ChangeLoggingSessionStore } from '../../state/change-logging-session-store.ts';
import { inMemorySessionStore, persistentSessionStore } from '../../state/segmented-session-store.ts';
import type { SessionStore } from '../../state/session-store.ts';
import { CachingSessionStore } from '../../state/caching-session-store.ts';
import type { SerdeDefaults, StoreBuildOptions, StoreBuilder } from '../../state/stores.ts';
import { TypedSessionStore } from '../../state/typed-session-store.ts';
import { resolveSerde } from './resolve-serde.ts';

/**
 * Builds the state module's session stores for session windows:
 * typed(caching?(changeLogging?(segmented(LevelDB | memory)))), retention gap + grace; the
 * changelog is compacted and deleted a day after the retention.
 */
export class SessionStoreBuilder<K, V> implements StoreBuilder<SessionStore<K, V>> {
  readonly cachingEnabled: boolean;
  readonly logConfig: Readonly<Record<string, string>>;

  constructor(
    readonly name: string,
    readonly persistent: boolean,
    private readonly retentionMs: number,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
    readonly loggingEnabled: boolean,
    caching = false,
  ) {
    this.cachingEnabled = caching;
    this.logConfig = { 'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionMs + 86_400_000) };
  }

  build(defaults: SerdeDefaults = {}, buildOptions: StoreBuildOptions = {}): SessionStore<K, V> {
    const keySerde = resolveSerde(this.keySerde, defaults, 'key', this.name);
    const valueSerde = resolveSerde(this.valueSerde, defaults, 'value', this.name);
    const options = { retentionMs: this.retentionMs };
    const inner = this.persistent
      ? persistentSessionStore(this.name, options)
      : inMemorySessionStore(this.name, options);
    const logged = this.loggingEnabled ? new ChangeLoggingSessionStore(inner) : inner;
    const cached =
      this.cachingEnabled && buildOptions.cacheMaxBytes !== 0 ? new CachingSessionStore(logged, { maxBytes: buildOptions.cacheMaxBytes }) : logged;
    return new TypedSessionStore(cached, keySerde, valueSerde);
  }
}
