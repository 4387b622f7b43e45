import type { ProcessorSupplier } from '../../processor/processor.ts';
import type { Serde } from '../../serde/serde.ts';
import type { StoreBuilder } from '../../state/stores.ts';
import { resolveIdlePolicy, type IdlePolicy } from '../../time/idle-policy.ts';
import type { EmitMode } from '../../windows/emit-mode.ts';
import { streamTimeStore } from '../../windows/internal/operator-stores.ts';
import { LATE_EVENTS_TOPIC_CONFIG, LATE_EVENTS_TOPIC_SUFFIX } from '../../windows/late-events.ts';
import type { Windowed } from '../../windows/window.ts';
import { WindowedSerde } from '../../windows/windowed-serde.ts';
import type { KGroupedStream } from '../kgrouped-stream.ts';
import type { Materialized } from '../options.ts';
import { DeferredSerde } from './deferred-serde.ts';
import type { WindowedOperatorSpec } from './processors/windowed-operator.ts';

/** Options shared by windowed aggregations (see TimeWindowedKStream). */
export interface WindowedOperatorOptions {
  emit: EmitMode;
  /** Where late records go; default `<application.id>-late-events`. */
  lateEventsTopic?: string;
  idle?: IdlePolicy;
}

export interface WiredOperator<K> {
  readonly name: string;
  readonly storeName: string;
  /** Node whose output is the resulting table. */
  readonly resultNode: string;
  readonly windowedKeySerde: Serde<Windowed<K>>;
}

/**
 * Adds a windowed aggregation to the topology: its processor (after the repartition
 * topic if the key changed), its window or session store and stream-time store, the
 * node carrying its results, and the sink of its late records.
 */
export function wireWindowedOperator<K, V, VA>(
  grouped: KGroupedStream<K, V>,
  prefix: string,
  named: string | undefined,
  materialized: Materialized<K, VA>,
  options: WindowedOperatorOptions,
  graceMs: number,
  store: (storeName: string) => StoreBuilder,
  supplier: (spec: WindowedOperatorSpec) => ProcessorSupplier<K, V, unknown, unknown>,
): WiredOperator<K> {
  const builder = grouped.builder;
  const topology = builder.topology;
  const storeName = materialized.store ?? builder.newStoreName(prefix);
  const name = builder.name(named, prefix);
  const parent = grouped.prepareInput(storeName);
  const resultNode = `${name}-RESULT`;
  const lateChild = `${name}-LATE-EVENTS`;
  const spec: WindowedOperatorSpec = {
    storeName,
    graceMs,
    emit: options.emit,
    resultChild: resultNode,
    lateChild,
    idle: resolveIdlePolicy(options.idle),
  };
  topology.addProcessor(name, supplier(spec), parent);
  topology.addStateStore(store(storeName), name);
  topology.addStateStore(
    streamTimeStore(storeName, materialized.storeType !== 'inMemory', materialized.logging !== false),
    name,
  );
  builder.passThrough(resultNode, name);
  let lateTopic = options.lateEventsTopic;
  if (lateTopic === undefined) {
    lateTopic = LATE_EVENTS_TOPIC_SUFFIX;
    topology.addInternalOutputTopic(lateTopic, LATE_EVENTS_TOPIC_CONFIG);
  }
  topology.addSink(lateChild, lateTopic, { keySerde: grouped.keySerde, valueSerde: grouped.valueSerde }, name);
  const keySerde = materialized.keySerde ?? grouped.keySerde;
  const windowedKeySerde = new DeferredSerde(
    (defaults) => new WindowedSerde((keySerde ?? defaults.keySerde) as Serde<K>),
  ) as unknown as Serde<Windowed<K>>;
  return { name, storeName, resultNode, windowedKeySerde };
}
