import type { Serde } from '../serde/serde.ts';
import type { JoinWindows } from './join-windows.ts';

export type JoinType = 'inner' | 'left' | 'outer';

/**
 * Options of a stream-stream join (Kafka's StreamJoined): serdes of both sides for the
 * join stores, their names, where late records go.
 */
export interface StreamJoined<K, V, VO> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  otherValueSerde?: Serde<VO>;
  /** Base name of the join's nodes and stores (`<name>-this-store`, `<name>-other-store`). */
  name?: string;
  /** Default 'persistent' (as every DSL store). */
  storeType?: 'inMemory' | 'persistent';
  /** Default `<application.id>-late-events`. */
  lateEventsTopic?: string;
}

/** Arguments of a stream-stream join, as `KStream.join(other, joiner, windows, joined)` takes them. */
export interface StreamStreamJoinArgs<K, V, VO, VR> {
  windows: JoinWindows;
  joiner: (value: V | null, other: VO | null, key: K) => VR;
  joined: StreamJoined<K, V, VO>;
}

/** Options of a stream-table join. */
export interface Joined<K, V, VT> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  tableValueSerde?: Serde<VT>;
  /** Name of the join node. */
  name?: string;
}
