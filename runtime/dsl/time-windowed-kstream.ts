import { LongSerde } from '../serde/long-serde.ts';
import type { IdlePolicy } from '../time/idle-policy.ts';
import type { Windowed } from '../windows/window.ts';
import type { EmitMode } from '../windows/emit-mode.ts';
import { WindowStoreBuilder } from '../windows/internal/window-store-builder.ts';
import { SlidingWindows } from '../windows/sliding-windows.ts';
import type { TimeWindows } from '../windows/time-windows.ts';
import { SlidingWindowAggregateProcessor } from './internal/processors/sliding-window-aggregate-processor.ts';
import { WindowAggregateProcessor } from './internal/processors/window-aggregate-processor.ts';
import { windowStoreValueGetter } from './internal/window-value-getter.ts';
import { wireWindowedOperator, type WindowedOperatorOptions } from './internal/windowed-wiring.ts';
import type { KGroupedStream } from './kgrouped-stream.ts';
import type { Materialized } from './options.ts';
import { KTable } from './ktable.ts';
import { markWindowed } from './internal/suppress.ts';

const LONG = new LongSerde();

/**
 * A grouped stream cut into time windows (tumbling, hopping or sliding), ready to
 * aggregate per key and window. Results are a KTable keyed by Windowed<K>;
 * when they are emitted is set by `emit` (default `onUpdate`, see EmitMode); window
 * alignment and grace are described on TimeWindows and SlidingWindows. Records later than
 * the grace go to the late-events topic (`<application.id>-late-events` unless
 * `lateEventsTo` names another), with headers giving the reason and how much they
 * missed by; nothing is dropped silently.
 */
export class TimeWindowedKStream<K, V> {
  /** @internal */
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: TimeWindows | SlidingWindows,
    private readonly options: WindowedOperatorOptions = { emit: 'onUpdate' },
  ) {}

  /** When results are emitted: `onUpdate`, `onWindowClose` or `onTimeWithCorrections`. */
  emit(mode: EmitMode): TimeWindowedKStream<K, V> {
    return new TimeWindowedKStream(this.grouped, this.windows, { ...this.options, emit: mode });
  }

  /** Sends late records to `topic` instead of `<application.id>-late-events`. */
  lateEventsTo(topic: string): TimeWindowedKStream<K, V> {
    return new TimeWindowedKStream(this.grouped, this.windows, { ...this.options, lateEventsTopic: topic });
  }

  /** Lets windows close when the input goes quiet (see IdlePolicy). */
  withIdlePolicy(idle: IdlePolicy): TimeWindowedKStream<K, V> {
    return new TimeWindowedKStream(this.grouped, this.windows, { ...this.options, idle });
  }

  count(materialized: Materialized<K, number> = {}, named?: string): KTable<Windowed<K>, number> {
    return this.build(
      'KSTREAM-WINDOWCOUNT-',
      named,
      { valueSerde: LONG, ...materialized },
      () => 0,
      (_k, _v, n) => n + 1,
      undefined,
    );
  }

  reduce(
    reducer: (aggregate: V, value: V, key: K) => V,
    materialized: Materialized<K, V> = {},
    named?: string,
  ): KTable<Windowed<K>, V> {
    const m = { valueSerde: this.grouped.valueSerde, ...materialized };
    return this.build(
      'KSTREAM-WINDOWREDUCE-',
      named,
      m,
      undefined,
      (key, value, agg) => reducer(agg, value, key),
      (value) => value,
    );
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
    named?: string,
  ): KTable<Windowed<K>, VA> {
    return this.build('KSTREAM-WINDOWAGGREGATE-', named, materialized, initializer, aggregator, undefined);
  }

  private build<VA>(
    prefix: string,
    named: string | undefined,
    materialized: Materialized<K, VA>,
    initializer: (() => VA) | undefined,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    firstValue: ((value: V) => VA) | undefined,
  ): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const sliding = w instanceof SlidingWindows;
    const size = sliding ? w.timeDifferenceMs + 1 : w.sizeMs;
    const keySerde = materialized.keySerde ?? this.grouped.keySerde;
    const persistent = materialized.storeType !== 'inMemory';
    const logging = materialized.logging !== false;
    // Sliding aggregates are filed under their last instant, so they live grace + 1 ms.
    const retentionMs = sliding ? w.graceMs + 1 : size + w.graceMs;
    const wired = wireWindowedOperator<K, V, VA>(
      this.grouped,
      prefix,
      named,
      materialized,
      this.options,
      w.graceMs,
      (name) =>
        new WindowStoreBuilder(
          name,
          persistent,
          { windowSize: size, retentionMs },
          keySerde,
          materialized.valueSerde,
          logging,
          materialized.caching !== false,
        ),
      (spec) =>
        sliding
          ? () => new SlidingWindowAggregateProcessor<K, V, VA>(spec, w, initializer, aggregator, firstValue)
          : () => new WindowAggregateProcessor<K, V, VA>(spec, w as TimeWindows, initializer, aggregator, firstValue),
    );
    if (sliding) {
      const raw = new WindowStoreBuilder(
        `${wired.storeName}-records`,
        persistent,
        { windowSize: 1, retentionMs: size + w.graceMs + w.timeDifferenceMs, retainDuplicates: true },
        keySerde,
        this.grouped.valueSerde,
        logging,
      );
      this.grouped.builder.topology.addStateStore(raw, wired.name);
    }
    const getter = windowStoreValueGetter<K, VA>(wired.storeName, (window) =>
      sliding ? window.end - 1 : window.start,
    );
    return markWindowed(
      new KTable<Windowed<K>, VA>(
        this.grouped.builder,
        wired.resultNode,
        wired.windowedKeySerde,
        materialized.valueSerde,
        getter,
        wired.storeName,
      ),
      w.graceMs,
    );
  }
}
