import { Topology } from '../topology.ts';
import type { Serde } from '../../serde/serde.ts';
import type { StreamPartitioner } from '../../processor/stream-partitioner.ts';
import { PassThroughProcessor } from './processors/stateless-processors.ts';

/**
 * What every DSL object shares: the topology under construction and the counter that
 * numbers generated names like Kafka Streams does (`KSTREAM-FILTER-0000000003`; one
 * counter for nodes and stores, so names follow the order of the DSL calls).
 */
export class InternalBuilder {
  readonly topology = new Topology();
  private index = 0;

  newName(prefix: string): string {
    return `${prefix}${String(this.index++).padStart(10, '0')}`;
  }

  name(named: string | undefined, prefix: string): string {
    return named ?? this.newName(prefix);
  }

  newStoreName(prefix: string): string {
    return this.newName(`${prefix}STATE-STORE-`);
  }

  /**
   * Sends the records of `parent` through the repartition topic `<base>-repartition`
   * (prefixed with the application id at compile time) and returns the name of the
   * source node that reads it back: a sink ends one subtopology, the source starts the
   * next. Nodes are `<base>-repartition-sink/-source` when `named`, else generated.
   */
  repartition(
    parent: string,
    base: string,
    named: boolean,
    keySerde: Serde<unknown> | undefined,
    valueSerde: Serde<unknown> | undefined,
    numberOfPartitions?: number,
    partitioner?: StreamPartitioner<unknown, unknown>,
  ): string {
    const topic = `${base}-repartition`;
    const sinkName = named ? `${base}-repartition-sink` : this.newName('KSTREAM-SINK-');
    const sourceName = named ? `${base}-repartition-source` : this.newName('KSTREAM-SOURCE-');
    this.topology.addInternalTopic(topic, numberOfPartitions);
    this.topology.addSink(sinkName, topic, { keySerde, valueSerde, partitioner }, parent);
    this.topology.addSource(sourceName, topic, { keySerde, valueSerde });
    return sourceName;
  }

  /** Adds a processor that forwards as it receives (merge, branch outputs). */
  passThrough(name: string, ...parents: string[]): string {
    this.topology.addProcessor(name, () => new PassThroughProcessor(), ...parents);
    return name;
  }

  /** Connects registered stores (StreamsBuilder.addStateStore) to a processor. */
  connectStores(processor: string, storeNames: readonly string[]): void {
    for (const name of storeNames) this.topology.connectProcessorAndStateStores(name, processor);
  }
}
