import type { Serde } from '../serde/serde.ts';
import type { Windowed } from '../windows/window.ts';
import type { InternalBuilder } from './internal/internal-builder.ts';
import { SuppressProcessor } from './internal/processors/suppress-processor.ts';
import type { ValueGetterSupplier } from './internal/value-getter.ts';
import { KTable } from './ktable.ts';

/** How `suppress` holds back results; only `untilWindowCloses` exists (Kafka's Suppressed). */
export interface Suppressed {
  readonly kind: 'untilWindowCloses';
  /** Name of the buffer store (and of the node); generated when absent. */
  readonly name?: string;
}

export const Suppressed = {
  /** Hold every window's updates and emit only its final result, once it closes (end + grace). */
  untilWindowCloses(options: { name?: string } = {}): Suppressed {
    return { kind: 'untilWindowCloses', name: options.name };
  },
};

/**
 * The result of a windowed aggregation: a table keyed by (key, window). Its updates
 * are emitted as configured by the aggregation's emit mode; `suppress` can turn an
 * on-update table into final results per window afterwards.
 */
export class WindowedKTable<K, V> extends KTable<Windowed<K>, V> {
  /** @internal */
  constructor(
    builder: InternalBuilder,
    node: string,
    keySerde: Serde<Windowed<K>> | undefined,
    valueSerde: Serde<V> | undefined,
    valueGetter: ValueGetterSupplier<Windowed<K>, V>,
    storeName: string | undefined,
    /** Grace of the windows, in ms. */
    readonly graceMs: number,
  ) {
    super(builder, node, keySerde, valueSerde, valueGetter, storeName);
  }

  /**
   * Buffers the table's updates per window and forwards only the last one, once stream
   * time reaches the window's end plus grace (the result is then final). The buffer is
   * a changelogged key-value store, so suppressed results survive a restart. Equivalent
   * to the aggregation's emit mode `onWindowClose`.
   */
  suppress(suppressed: Suppressed): WindowedKTable<K, V> {
    const name = this.builder.name(suppressed.name, 'KTABLE-SUPPRESS-');
    const storeName = suppressed.name === undefined ? this.builder.newStoreName('KTABLE-SUPPRESS-') : `${suppressed.name}-store`;
    const grace = this.graceMs;
    this.builder.topology.addProcessor(name, () => new SuppressProcessor<K, V>(storeName, grace), this.node);
    this.builder.topology.addStateStore(SuppressProcessor.storeBuilder(storeName, this.keySerde, this.valueSerde), name);
    return new WindowedKTable(this.builder, name, this.keySerde, this.valueSerde, this.valueGetter, this.storeName, grace);
  }
}
