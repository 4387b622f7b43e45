import { TopologyError } from '../errors/runtime-errors.ts';
import type { ProcessorSupplier } from '../processor/processor.ts';
import type { StreamPartitioner } from '../processor/stream-partitioner.ts';
import type { TimestampExtractor } from '../processor/timestamp-extractor.ts';
import type { Serde } from '../serde/serde.ts';
import type { StoreBuilder } from '../state/stores.ts';
import { compileTopology, type CompileOptions, type CompiledTopology } from './internal/compiled-topology.ts';
import type { InternalTopicDef, NodeDef, ProcessorNodeDef, StoreRegistration } from './internal/topology-nodes.ts';
import { describeTopology, type TopologyDescription } from './topology-description.ts';

/**
 * The configs of a repartition topic, as in Kafka Streams: records are kept whatever their
 * timestamp (`retention.ms=-1`; a backfill's event times are days old, and time-based
 * retention would delete them before they are read) and removed by the purge after commit
 * (runtime/task/internal/repartition-purge.ts); 50 MB segments so purged space is freed soon.
 */
export const REPARTITION_TOPIC_CONFIG: Readonly<Record<string, string>> = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'segment.bytes': String(50 * 1024 * 1024) };

export interface SourceOptions<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  timestampExtractor?: TimestampExtractor;
}

export interface SinkOptions<K, V> {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  partitioner?: StreamPartitioner<K, V>;
}

/**
 * A graph of sources, processors and sinks plus the stores they use: the Processor API
 * view of an application, as Kafka Streams' `Topology`. The DSL (StreamsBuilder) builds
 * one; it can also be assembled by hand. It holds definitions only: each task creates
 * its own processors and stores from it. Nodes must be added parents first.
 */
export class Topology {
  /** @internal nodes in the order they were added. */
  readonly nodes = new Map<string, NodeDef>();
  /** @internal */
  readonly stores = new Map<string, StoreRegistration>();
  /** @internal repartition topics, by name without the application id prefix. */
  readonly internalTopics = new Map<string, InternalTopicDef>();

  addSource<K, V>(name: string, topics: string | readonly string[], options: SourceOptions<K, V> = {}): this {
    const list = typeof topics === 'string' ? [topics] : [...topics];
    if (list.length === 0) throw new TopologyError(`source ${name} must read at least one topic`);
    for (const node of this.nodes.values()) {
      if (node.kind === 'source') {
        const taken = node.topics.find((t) => list.includes(t));
        if (taken !== undefined) throw new TopologyError(`topic ${taken} is already read by source ${node.name}`);
      }
    }
    this.addNode({
      kind: 'source',
      name,
      topics: list,
      keySerde: options.keySerde as Serde<unknown> | undefined,
      valueSerde: options.valueSerde as Serde<unknown> | undefined,
      timestampExtractor: options.timestampExtractor,
      children: [],
    });
    return this;
  }

  addProcessor<KIn, VIn, KOut, VOut>(name: string, supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>, ...parentNames: string[]): this {
    this.checkParents(name, parentNames);
    this.addNode({
      kind: 'processor',
      name,
      supplier: supplier as ProcessorSupplier<unknown, unknown, unknown, unknown>,
      parents: parentNames,
      children: [],
      stores: [],
    });
    this.linkParents(name, parentNames);
    return this;
  }

  addSink<K, V>(name: string, topic: string, options: SinkOptions<K, V> = {}, ...parentNames: string[]): this {
    this.checkParents(name, parentNames);
    this.addNode({
      kind: 'sink',
      name,
      topic,
      keySerde: options.keySerde as Serde<unknown> | undefined,
      valueSerde: options.valueSerde as Serde<unknown> | undefined,
      partitioner: options.partitioner as StreamPartitioner<unknown, unknown> | undefined,
      parents: parentNames,
    });
    this.linkParents(name, parentNames);
    return this;
  }

  /** Registers a store and connects it to the given processors. */
  addStateStore(builder: StoreBuilder, ...processorNames: string[]): this {
    if (this.stores.has(builder.name)) throw new TopologyError(`store ${builder.name} is already registered`);
    this.stores.set(builder.name, { builder, global: false });
    this.connectProcessorAndStateStores(builder.name, ...processorNames);
    return this;
  }

  connectProcessorAndStateStores(storeName: string, ...processorNames: string[]): this {
    for (const p of processorNames) {
      const node = this.nodes.get(p);
      if (node?.kind !== 'processor') throw new TopologyError(`cannot connect store ${storeName}: ${p} is not a processor`);
      if (!node.stores.includes(storeName)) node.stores.push(storeName);
    }
    return this;
  }

  /**
   * A store replicated in full to every instance: a source reading `topic` and a
   * processor (typically putting every record into the store) that update it. Its topic
   * is its changelog, so logging must be off. Every processor may read it.
   */
  addGlobalStore<K, V>(
    builder: StoreBuilder,
    sourceName: string,
    topic: string,
    options: SourceOptions<K, V>,
    processorName: string,
    supplier: ProcessorSupplier<K, V, never, never>,
  ): this {
    if (this.stores.has(builder.name)) throw new TopologyError(`store ${builder.name} is already registered`);
    if (builder.loggingEnabled) throw new TopologyError(`global store ${builder.name} must have logging disabled: its topic is its changelog`);
    this.addSource(sourceName, topic, options);
    this.addProcessor(processorName, supplier, sourceName);
    this.stores.set(builder.name, { builder, global: true });
    this.connectProcessorAndStateStores(builder.name, processorName);
    return this;
  }

  /**
   * @internal declares a repartition topic (name without the application id prefix). It is
   * created with REPARTITION_TOPIC_CONFIG and purged up to the committed offsets.
   */
  addInternalTopic(name: string, numberOfPartitions?: number): this {
    if (this.internalTopics.has(name)) throw new TopologyError(`internal topic ${name} is declared twice`);
    this.internalTopics.set(name, { name, kind: 'repartition', numberOfPartitions, config: REPARTITION_TOPIC_CONFIG });
    return this;
  }

  /**
   * @internal declares an output topic the application owns and creates with `config`
   * (name without the application id prefix), e.g. the late-events topic. Declaring
   * the same one again is a no-op.
   */
  addInternalOutputTopic(name: string, config: Readonly<Record<string, string>>): this {
    const known = this.internalTopics.get(name);
    if (known !== undefined && known.kind !== 'output') throw new TopologyError(`internal topic ${name} is declared twice`);
    if (known === undefined) this.internalTopics.set(name, { name, kind: 'output', numberOfPartitions: undefined, config });
    return this;
  }

  describe(): TopologyDescription {
    return describeTopology(this);
  }

  /** @internal resolves topic names and subtopologies for one application. */
  compile(options: CompileOptions): CompiledTopology {
    return compileTopology(this, options);
  }

  private addNode(node: NodeDef): void {
    if (this.nodes.has(node.name)) throw new TopologyError(`node ${node.name} is already in the topology`);
    this.nodes.set(node.name, node);
  }

  private checkParents(name: string, parents: readonly string[]): void {
    if (parents.length === 0) throw new TopologyError(`node ${name} needs at least one parent`);
    for (const p of parents) {
      const parent = this.nodes.get(p);
      if (parent === undefined) throw new TopologyError(`parent ${p} of ${name} is not in the topology`);
      if (parent.kind === 'sink') throw new TopologyError(`sink ${p} cannot be the parent of ${name}`);
      if (p === name) throw new TopologyError(`node ${name} cannot be its own parent`);
    }
  }

  private linkParents(name: string, parents: readonly string[]): void {
    for (const p of parents) {
      const parent = this.nodes.get(p) as Exclude<NodeDef, { kind: 'sink' }>;
      parent.children.push(name);
    }
  }

  /** @internal */
  processorNode(name: string): ProcessorNodeDef | undefined {
    const node = this.nodes.get(name);
    return node?.kind === 'processor' ? node : undefined;
  }
}
