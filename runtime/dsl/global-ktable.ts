import type { Serde } from '../serde/serde.ts';
import type { ValueGetterSupplier } from './internal/value-getter.ts';

/**
 * A table replicated in full to every instance (Kafka's GlobalKTable): every task can
 * look up any key, whatever its partition. It is filled from its topic by a global
 * task before the other tasks start, and kept up to date as the topic grows; the topic
 * is its changelog. Joins with streams (event-time issue) read it through `valueGetter`.
 */
export class GlobalKTable<K, V> {
  /** @internal */
  constructor(
    readonly storeName: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** @internal */
    readonly valueGetter: ValueGetterSupplier<K, V>,
  ) {}
}
