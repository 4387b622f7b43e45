import type { Serde } from '../../../serde/serde.ts';
import { WindowStoreBuilder } from '../../../windows/internal/window-store-builder.ts';
import { streamTimeStore } from '../../../windows/internal/operator-stores.ts';
import { UnmatchedSerde } from '../../../windows/internal/unmatched-serde.ts';
import { resolveSerde } from '../../../windows/internal/resolve-serde.ts';
import { LATE_EVENTS_TOPIC_CONFIG, LATE_EVENTS_TOPIC_SUFFIX } from '../../../windows/late-events.ts';
import { GlobalKTable } from '../../global-ktable.ts';
import type { JoinWindows } from '../../join-windows.ts';
import type { Joined, JoinType, StreamJoined } from '../../joined.ts';
import { KStream } from '../../kstream.ts';
import type { KTable } from '../../ktable.ts';
import { DeferredSerde } from '../deferred-serde.ts';
import type { InternalBuilder } from '../internal-builder.ts';
import { StreamStreamJoinProcessor, type StreamStreamJoinSpec } from '../processors/stream-stream-join-processor.ts';
import { StreamTableJoinProcessor } from '../processors/stream-table-join-processor.ts';
import { TemporalJoinProcessor } from '../processors/temporal-join-processor.ts';

/* The wiring of KStream.join / leftJoin / outerJoin: which nodes and stores each join adds. */

function copartitioned<K, V>(
  stream: KStream<K, V>,
  base: string,
  named: boolean,
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<V> | undefined,
): string {
  if (!stream.repartitionRequired) return stream.node;
  return stream.builder.repartition(
    stream.node,
    base,
    named,
    keySerde as Serde<unknown> | undefined,
    valueSerde as Serde<unknown> | undefined,
  );
}

/** Declares the default late-events topic once; returns the sink topic to use. */
export function lateEventsTopic(builder: InternalBuilder, topic: string | undefined): string {
  if (topic !== undefined) return topic;
  builder.topology.addInternalOutputTopic(LATE_EVENTS_TOPIC_SUFFIX, LATE_EVENTS_TOPIC_CONFIG);
  return LATE_EVENTS_TOPIC_SUFFIX;
}

export function streamStreamJoin<K, V, VO, VR>(
  left: KStream<K, V>,
  right: KStream<K, VO>,
  type: JoinType,
  joiner: (value: V | null, other: VO | null, key: K) => VR,
  windows: JoinWindows,
  joined: StreamJoined<K, V, VO>,
): KStream<K, VR> {
  const builder = left.builder;
  const topology = builder.topology;
  const named = joined.name !== undefined;
  const base = joined.name ?? builder.newName('KSTREAM-JOIN-');
  const keySerde = joined.keySerde ?? left.keySerde ?? right.keySerde;
  const leftSerde = joined.valueSerde ?? left.valueSerde;
  const rightSerde = joined.otherValueSerde ?? right.valueSerde;
  const leftParent = copartitioned(left, `${base}-left`, named, keySerde, leftSerde);
  const rightParent = copartitioned(right, `${base}-right`, named, keySerde, rightSerde);
  const spec: StreamStreamJoinSpec = {
    type,
    windows,
    leftStore: `${base}-left-store`,
    rightStore: `${base}-right-store`,
    unmatchedStore: type === 'inner' ? undefined : `${base}-unmatched-store`,
    streamTimeStore: `${base}-stream-time`,
    resultChild: `${base}-merge`,
  };
  const persistent = joined.storeType !== 'inMemory';
  const j = joiner as (l: unknown, r: unknown, k: K) => VR;
  topology.addProcessor(
    `${base}-left`,
    () => new StreamStreamJoinProcessor<K, V, VO, VR>(spec, 'left', `${base}-left-LATE-EVENTS`, j),
    leftParent,
  );
  topology.addProcessor(
    `${base}-right`,
    () => new StreamStreamJoinProcessor<K, VO, V, VR>(spec, 'right', `${base}-right-LATE-EVENTS`, j),
    rightParent,
  );
  const both = [`${base}-left`, `${base}-right`];
  const options = { windowSize: 1, retentionMs: windows.retentionMs, retainDuplicates: true };
  topology.addStateStore(
    new WindowStoreBuilder(spec.leftStore, persistent, options, keySerde, leftSerde, true),
    ...both,
  );
  topology.addStateStore(
    new WindowStoreBuilder(spec.rightStore, persistent, options, keySerde, rightSerde, true),
    ...both,
  );
  if (spec.unmatchedStore !== undefined) {
    const serde = new DeferredSerde(
      (d) =>
        new UnmatchedSerde(
          resolveSerde(leftSerde, d, 'value', spec.unmatchedStore!),
          resolveSerde(rightSerde, d, 'value', spec.unmatchedStore!),
        ),
    );
    topology.addStateStore(
      new WindowStoreBuilder(
        spec.unmatchedStore,
        persistent,
        { windowSize: 1, retentionMs: windows.retentionMs },
        keySerde,
        serde,
        true,
      ),
      ...both,
    );
  }
  topology.addStateStore(streamTimeStore(base, persistent, true).withCachingEnabled(), ...both);
  builder.passThrough(spec.resultChild, ...both);
  const late = lateEventsTopic(builder, joined.lateEventsTopic);
  topology.addSink(`${base}-left-LATE-EVENTS`, late, { keySerde, valueSerde: leftSerde }, `${base}-left`);
  topology.addSink(`${base}-right-LATE-EVENTS`, late, { keySerde, valueSerde: rightSerde }, `${base}-right`);
  return new KStream<K, VR>(builder, spec.resultChild, keySerde, undefined, false);
}

export function streamTableJoin<K, V, VT, VR>(
  stream: KStream<K, V>,
  table: KTable<K, VT>,
  joiner: (value: V, tableValue: VT | null, key: K) => VR,
  left: boolean,
  joined: Joined<K, V, VT>,
): KStream<K, VR> {
  const builder = stream.builder;
  const name = builder.name(joined.name, 'KSTREAM-JOIN-');
  const keySerde = joined.keySerde ?? stream.keySerde ?? table.keySerde;
  const parent = copartitioned(
    stream,
    `${name}-left`,
    joined.name !== undefined,
    keySerde,
    joined.valueSerde ?? stream.valueSerde,
  );
  // A VersionedKTable (not imported here: it extends KTable, which may still be loading).
  const versioned = (table as Partial<{ versionedStoreName: string }>).versionedStoreName;
  if (versioned !== undefined) {
    const storeName = versioned;
    builder.topology.addProcessor(name, () => new TemporalJoinProcessor<K, V, VT, VR>(storeName, joiner, left), parent);
    builder.connectStores(name, [storeName]);
  } else {
    builder.topology.addProcessor(
      name,
      () => new StreamTableJoinProcessor<K, V, K, VT, VR>(table.valueGetter, undefined, joiner, left),
      parent,
    );
    builder.connectStores(name, table.valueGetter.storeNames);
  }
  return new KStream<K, VR>(builder, name, keySerde, undefined, false);
}

export function streamGlobalTableJoin<K, V, KG, VG, VR>(
  stream: KStream<K, V>,
  table: GlobalKTable<KG, VG>,
  keySelector: (key: K, value: V) => KG,
  joiner: (value: V, tableValue: VG | null, key: K) => VR,
  left: boolean,
  named: string | undefined,
): KStream<K, VR> {
  const builder = stream.builder;
  const name = builder.name(named, 'KSTREAM-JOIN-');
  builder.topology.addProcessor(
    name,
    () => new StreamTableJoinProcessor<K, V, KG, VG, VR>(table.valueGetter, keySelector, joiner, left),
    stream.node,
  );
  return new KStream<K, VR>(builder, name, stream.keySerde, undefined, stream.repartitionRequired);
}

/** @internal KStream.join / leftJoin / outerJoin: dispatches on the kind of `other`. */
export function joinStream<K, V>(
  stream: KStream<K, V>,
  type: JoinType,
  other: unknown,
  a: unknown,
  b: unknown,
  c: unknown,
): KStream<K, unknown> {
  type F = (...args: never[]) => unknown;
  if (other instanceof KStream)
    return streamStreamJoin(
      stream,
      other,
      type,
      a as F as never,
      b as JoinWindows,
      (c ?? {}) as StreamJoined<K, V, unknown>,
    );
  if (type === 'outer')
    throw new TypeError('outerJoin needs a KStream (stream-stream join); use leftJoin with a table');
  if (other instanceof GlobalKTable)
    return streamGlobalTableJoin(
      stream,
      other,
      a as F as never,
      b as F as never,
      type === 'left',
      c as string | undefined,
    );
  return streamTableJoin(
    stream,
    other as KTable<K, unknown>,
    a as F as never,
    type === 'left',
    (b ?? {}) as Joined<K, V, unknown>,
  );
}
