import { LongSerde } from '../serde/long-serde.ts';
import type { Serde } from '../serde/serde.ts';
import type { CountWindows } from '../windows/count-windows.ts';
import { CountWindowStateSerde } from '../windows/internal/count-window-state.ts';
import { deferredKeyValueStore } from '../windows/internal/deferred-key-value-store.ts';
import { resolveSerde } from '../windows/internal/resolve-serde.ts';
import type { Windowed } from '../windows/window.ts';
import { WindowedSerde } from '../windows/windowed-serde.ts';
import { DeferredSerde } from './internal/deferred-serde.ts';
import { CountWindowAggregateProcessor } from './internal/processors/count-window-aggregate-processor.ts';
import type { KGroupedStream } from './kgrouped-stream.ts';
import { KTable } from './ktable.ts';
import type { Materialized } from './options.ts';

const LONG = new LongSerde();

/**
 * A grouped stream cut into count windows (see CountWindows). Results are keyed by
 * Windowed<K> whose window bounds are record positions; the table cannot be looked up
 * (no value getter: only the open window is stored).
 */
export class CountWindowedKStream<K, V> {
  /** @internal */
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: CountWindows,
    private readonly mode: 'onUpdate' | 'onWindowClose' = 'onWindowClose',
  ) {}

  emit(mode: 'onUpdate' | 'onWindowClose'): CountWindowedKStream<K, V> {
    return new CountWindowedKStream(this.grouped, this.windows, mode);
  }

  count(materialized: Materialized<K, number> = {}, named?: string): KTable<Windowed<K>, number> {
    return this.aggregate(
      () => 0,
      (_k, _v, n) => n + 1,
      { valueSerde: LONG, ...materialized },
      named,
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
    named?: string,
  ): KTable<Windowed<K>, VA> {
    const builder = this.grouped.builder;
    const storeName = materialized.store ?? builder.newStoreName('KSTREAM-COUNTWINDOW-');
    const name = builder.name(named, 'KSTREAM-COUNTWINDOW-');
    const parent = this.grouped.prepareInput(storeName);
    const size = this.windows.size;
    const everyUpdate = this.mode === 'onUpdate';
    builder.topology.addProcessor(
      name,
      () => new CountWindowAggregateProcessor<K, V, VA>(storeName, size, everyUpdate, initializer, aggregator),
      parent,
    );
    const valueSerde = materialized.valueSerde;
    const keySerde = materialized.keySerde ?? this.grouped.keySerde;
    const store = deferredKeyValueStore(
      storeName,
      materialized.storeType !== 'inMemory',
      materialized.logging !== false,
      (d) => ({
        keySerde: resolveSerde(keySerde, d, 'key', storeName),
        valueSerde: new CountWindowStateSerde(resolveSerde(valueSerde, d, 'value', storeName)),
      }),
    );
    builder.topology.addStateStore(store, name);
    const windowedKeySerde = new DeferredSerde(
      (d) => new WindowedSerde(resolveSerde(keySerde, d, 'key', storeName)),
    ) as unknown as Serde<Windowed<K>>;
    const noGetter = { storeNames: [storeName], get: () => ({ init: () => undefined, get: () => null }) };
    return new KTable<Windowed<K>, VA>(builder, name, windowedKeySerde, valueSerde, noGetter, undefined);
  }
}
