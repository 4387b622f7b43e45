import { BytesSerde } from '../serde/bytes-serde.ts';
import type { Serde } from '../serde/serde.ts';
import { resolveSerde } from '../windows/internal/resolve-serde.ts';
import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import type { KeyValueStore, StateStore, StateStoreContext } from './state-store.ts';
import { Stores, type SerdeDefaults, type StoreBuildOptions, type StoreBuilder } from './stores.ts';

const BYTES = new BytesSerde();

/*
 * The subscriptions of a foreign-key join, on the right side: which left keys currently
 * point at each right key, with the hash of the left row that subscribed.
 *
 *   key   [ right key length : 4 ][ right key bytes ][ left key bytes ]
 *   value [ hash : 4 ]
 *
 * so the subscribers of one right key are one prefix range. Change-logged like every store.
 */
export class SubscriptionStore<KO, KL> implements StateStore, BatchRestorable {
  private topic = '';

  constructor(
    private readonly inner: KeyValueStore<Buffer, Buffer>,
    private readonly foreignKeySerde: Serde<KO>,
    private readonly leftKeySerde: Serde<KL>,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.topic = `${context.applicationId}-${this.inner.name}-changelog`;
    await this.inner.init(context);
  }

  put(foreignKey: KO, leftKey: KL, hash: number): void {
    const value = Buffer.allocUnsafe(4);
    value.writeUInt32BE(hash >>> 0);
    this.inner.put(this.key(foreignKey, leftKey), value);
  }

  delete(foreignKey: KO, leftKey: KL): void {
    this.inner.delete(this.key(foreignKey, leftKey));
  }

  async *subscribers(foreignKey: KO): AsyncGenerator<{ leftKey: KL; hash: number }> {
    const prefix = this.prefix(foreignKey);
    const upper = Buffer.concat([prefix, Buffer.alloc(64, 0xff)]);
    for await (const e of this.inner.range(prefix, upper)) {
      if (e.key.length < prefix.length || !e.key.subarray(0, prefix.length).equals(prefix)) continue;
      yield {
        leftKey: this.leftKeySerde.deserialize(this.topic, e.key.subarray(prefix.length)),
        hash: e.value.readUInt32BE(0),
      };
    }
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  restore(key: Buffer, value: Buffer | null): void {
    restoreOne(this.inner, key, value);
  }
  beginRestore(): void {
    asBatchRestorable(this.inner).beginRestore();
  }
  restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    return asBatchRestorable(this.inner).restoreBatch(records);
  }
  endRestore(): Promise<void> {
    return asBatchRestorable(this.inner).endRestore();
  }

  private prefix(foreignKey: KO): Buffer {
    const fk = this.foreignKeySerde.serialize(this.topic, foreignKey) ?? Buffer.alloc(0);
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(fk.length);
    return Buffer.concat([len, fk]);
  }

  private key(foreignKey: KO, leftKey: KL): Buffer {
    return Buffer.concat([
      this.prefix(foreignKey),
      this.leftKeySerde.serialize(this.topic, leftKey) ?? Buffer.alloc(0),
    ]);
  }
}

export function subscriptionStoreBuilder<KO, KL>(
  name: string,
  foreignKeySerde: Serde<KO> | undefined,
  leftKeySerde: Serde<KL> | undefined,
): StoreBuilder<SubscriptionStore<KO, KL>> {
  return {
    name,
    persistent: false,
    loggingEnabled: true,
    logConfig: {},
    cachingEnabled: false,
    build: (defaults: SerdeDefaults = {}, options: StoreBuildOptions = {}) => {
      const inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), BYTES, BYTES)
        .withCachingDisabled()
        .build(defaults, { cacheMaxBytes: options.cacheMaxBytes });
      return new SubscriptionStore(
        inner,
        resolveSerde(foreignKeySerde, defaults, 'key', name),
        resolveSerde(leftKeySerde, defaults, 'key', name),
      );
    },
  };
}
