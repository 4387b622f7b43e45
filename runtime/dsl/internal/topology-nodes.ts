import type { StreamPartitioner } from '../../processor/stream-partitioner.ts';
import type { ProcessorSupplier } from '../../processor/processor.ts';
import type { TimestampExtractor } from '../../processor/timestamp-extractor.ts';
import type { Serde } from '../../serde/serde.ts';
import type { StoreBuilder } from '../../state/stores.ts';

/* The node definitions a Topology is made of. They hold no runtime state: every task
 * builds its own processors, stores and contexts from them. Topic names of internal
 * topics (repartition) are stored without the `<application.id>-` prefix, which is
 * only known when the topology is compiled for an application. */

export interface SourceNodeDef {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly string[];
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly children: string[];
}

export interface ProcessorNodeDef {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly parents: readonly string[];
  readonly children: string[];
  readonly stores: string[];
}

export interface SinkNodeDef {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly partitioner: StreamPartitioner<unknown, unknown> | undefined;
  readonly parents: readonly string[];
}

export type NodeDef = SourceNodeDef | ProcessorNodeDef | SinkNodeDef;

export interface StoreRegistration {
  readonly builder: StoreBuilder;
  /** Global stores are replicated in full to every instance from their source topic. */
  readonly global: boolean;
}

/**
 * A topic the application owns besides changelogs: a repartition topic (written and read
 * back by the application) or an internal output topic (written only, e.g. the
 * late-events side output, read by other applications).
 */
export interface InternalTopicDef {
  /** Name without the application id prefix, e.g. `counts-repartition`. */
  readonly name: string;
  readonly kind: 'repartition' | 'output';
  /** Fixed partition count (KStream.repartition); otherwise that of the upstream input. */
  readonly numberOfPartitions: number | undefined;
  /** Topic configs it is created with (an output topic's retention). */
  readonly config: Readonly<Record<string, string>>;
}

export function parentsOf(node: NodeDef): readonly string[] {
  return node.kind === 'source' ? [] : node.parents;
}

export function childrenOf(node: NodeDef): readonly string[] {
  return node.kind === 'sink' ? [] : node.children;
}
