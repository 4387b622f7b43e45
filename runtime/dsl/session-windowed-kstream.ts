import { LongSerde } from '../serde/long-serde.ts';
import type { IdlePolicy } from '../time/idle-policy.ts';
import type { EmitMode } from '../windows/emit-mode.ts';
import { SessionStoreBuilder } from '../windows/internal/session-store-builder.ts';
import type { SessionWindows } from '../windows/session-windows.ts';
import type { Windowed } from '../windows/window.ts';
import { SessionWindowAggregateProcessor } from './internal/processors/session-window-aggregate-processor.ts';
import type { ValueGetterSupplier } from './internal/value-getter.ts';
import { wireWindowedOperator, type WindowedOperatorOptions } from './internal/windowed-wiring.ts';
import type { KGroupedStream } from './kgrouped-stream.ts';
import type { Materialized } from './options.ts';
import { KTable } from './ktable.ts';
import { markWindowed } from './internal/suppress.ts';
import type { SessionStore } from '../state/session-store.ts';

const LONG = new LongSerde();

/**
 * A grouped stream cut into sessions (see SessionWindows for merging and grace). Results
 * are keyed by Windowed<K> with window `[first, last + 1)`; when sessions merge, the
 * merged-away sessions are retracted with a null value (emit `onUpdate`, and
 * `onTimeWithCorrections` for sessions already emitted). Late records go to the
 * late-events topic.
 */
export class SessionWindowedKStream<K, V> {
  /** @internal */
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: SessionWindows,
    private readonly options: WindowedOperatorOptions = { emit: 'onUpdate' },
  ) {}

  emit(mode: EmitMode): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStream(this.grouped, this.windows, { ...this.options, emit: mode });
  }

  lateEventsTo(topic: string): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStream(this.grouped, this.windows, { ...this.options, lateEventsTopic: topic });
  }

  withIdlePolicy(idle: IdlePolicy): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStream(this.grouped, this.windows, { ...this.options, idle });
  }

  count(materialized: Materialized<K, number> = {}, named?: string): KTable<Windowed<K>, number> {
    return this.aggregate(
      () => 0,
      (_k, _v, n) => n + 1,
      (_k, a, b) => a + b,
      { valueSerde: LONG, ...materialized },
      named,
    );
  }

  /** `merger` combines the aggregates of two sessions that a record joins into one. */
  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    merger: (key: K, left: VA, right: VA) => VA,
    materialized: Materialized<K, VA> = {},
    named?: string,
  ): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const keySerde = materialized.keySerde ?? this.grouped.keySerde;
    const wired = wireWindowedOperator<K, V, VA>(
      this.grouped,
      'KSTREAM-SESSIONAGGREGATE-',
      named,
      materialized,
      this.options,
      w.graceMs,
      (name) =>
        new SessionStoreBuilder(
          name,
          materialized.storeType !== 'inMemory',
          w.gapMs + w.graceMs,
          keySerde,
          materialized.valueSerde,
          materialized.logging !== false,
          materialized.caching !== false,
        ),
      (spec) => () => new SessionWindowAggregateProcessor<K, V, VA>(spec, w, initializer, aggregator, merger),
    );
    const storeName = wired.storeName;
    const getter: ValueGetterSupplier<Windowed<K>, VA> = {
      storeNames: [storeName],
      get: () => {
        let store!: SessionStore<K, VA>;
        return {
          init: (context) => {
            store = context.getStateStore<SessionStore<K, VA>>(storeName);
          },
          get: (key) => store.fetchSession(key.key, key.window.start, key.window.end - 1) ?? null,
        };
      },
    };
    // A session [first, last] closes at last + gap + grace = window end − 1 + gap + grace.
    return markWindowed(
      new KTable<Windowed<K>, VA>(
        this.grouped.builder,
        wired.resultNode,
        wired.windowedKeySerde,
        materialized.valueSerde,
        getter,
        storeName,
      ),
      w.gapMs + w.graceMs - 1,
    );
  }
}
