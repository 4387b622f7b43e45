import type { Serde } from '../../serde/serde.ts';
import { ChangeLoggingSessionStore } from '../../state/change-logging-session-store.ts';
import { inMemorySessionStore, persistentSessionStore } from '../../state/segmented-session-store.ts';
import type { SessionStore } from '../../state/session-store.ts';
import type { SerdeDefaults, StoreBuilder } from '../../state/stores.ts';
import { TypedSessionStore } from '../../state/typed-session-store.ts';
import { resolveSerde } from './resolve-serde.ts';

/**
 * Builds the state module's session stores for session windows:
 * typed(changeLogging?(segmented(LevelDB | memory))), retention gap + grace; the
 * changelog is compacted and deleted a day after the retention.
 */
export class SessionStoreBuilder<K, V> implements StoreBuilder<SessionStore<K, V>> {
  readonly cachingEnabled = false;
  readonly logConfig: Readonly<Record<string, string>>;

  constructor(
    readonly name: string,
    readonly persistent: boolean,
    private readonly retentionMs: number,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
    readonly loggingEnabled: boolean,
  ) {
    this.logConfig = { 'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionMs + 86_400_000) };
  }

  build(defaults: SerdeDefaults = {}): SessionStore<K, V> {
    const keySerde = resolveSerde(this.keySerde, defaults, 'key', this.name);
    const valueSerde = resolveSerde(this.valueSerde, defaults, 'value', this.name);
    const options = { retentionMs: this.retentionMs };
    const inner = this.persistent
      ? persistentSessionStore(this.name, options)
      : inMemorySessionStore(this.name, options);
    return new TypedSessionStore(
      this.loggingEnabled ? new ChangeLoggingSessionStore(inner) : inner,
      keySerde,
      valueSerde,
    );
  }
}
