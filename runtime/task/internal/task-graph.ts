import { DeferredSerde } from '../../dsl/internal/deferred-serde.ts';
import { TopologyError } from '../../errors/runtime-errors.ts';
import type { Processor } from '../../processor/processor.ts';
import type { StreamRecord } from '../../processor/record.ts';
import { recordTimestampExtractor, type TimestampExtractor } from '../../processor/timestamp-extractor.ts';
import type { Serde } from '../../serde/serde.ts';
import { SinkProcessor } from './sink-processor.ts';
import type { StreamTaskOptions } from './stream-task.ts';
import { TaskNode, type NodeHost } from './task-node.ts';

/** A source node of a task with what it needs to turn bytes into records. */
export interface TaskSource {
  readonly node: TaskNode;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly extractor: TimestampExtractor;
}

/** Forwards every record to its children: the processor of a source node. */
class SourceProcessor implements Processor<unknown, unknown, unknown, unknown> {
  node!: TaskNode;
  process(record: StreamRecord<unknown, unknown>): void {
    this.node.forward(record);
  }
}

/**
 * Instantiates the processors of one subtopology for one task and links them. Nodes
 * come parents first (the topology requires it), so every parent exists when its
 * child is linked. Missing serdes fall back to the topology defaults or fail here.
 */
export function buildTaskGraph(host: NodeHost, options: StreamTaskOptions): { sources: Map<string, TaskSource>; nodes: TaskNode[] } {
  const { subtopology, topology } = options;
  const defaults = topology.defaults;
  const byName = new Map<string, TaskNode>();
  const sources = new Map<string, TaskSource>();
  const serde = (given: Serde<unknown> | undefined, fallback: Serde<unknown> | undefined, what: string, node: string): Serde<unknown> => {
    const s = given instanceof DeferredSerde ? given.resolve(defaults) : (given ?? fallback);
    if (s === undefined) throw new TopologyError(`${node} has no ${what} serde and no default is configured`, { context: { processor: node } });
    return s;
  };
  for (const def of subtopology.nodes) {
    let node: TaskNode;
    if (def.kind === 'source') {
      const processor = new SourceProcessor();
      node = new TaskNode(def.name, processor, host, new Set());
      processor.node = node;
      const source: TaskSource = {
        node,
        keySerde: serde(def.keySerde, defaults.keySerde, 'key', def.name),
        valueSerde: serde(def.valueSerde, defaults.valueSerde, 'value', def.name),
        extractor: def.timestampExtractor ?? recordTimestampExtractor,
      };
      for (const [topic, s] of subtopology.sourceByTopic) if (s === def) sources.set(topic, source);
    } else if (def.kind === 'processor') {
      node = new TaskNode(def.name, def.supplier(), host, new Set(def.stores));
    } else {
      const sink = new SinkProcessor(
        subtopology.sinkTopics.get(def.name)!,
        serde(def.keySerde, defaults.keySerde, 'key', def.name),
        serde(def.valueSerde, defaults.valueSerde, 'value', def.name),
        options.collector,
        def.partitioner,
        options.partitionsFor,
        options.hooks?.onRecordOut,
      );
      node = new TaskNode(def.name, sink, host, new Set());
    }
    byName.set(def.name, node);
    if (def.kind !== 'source') for (const p of def.parents) byName.get(p)!.addChild(node);
  }
  return { sources, nodes: [...byName.values()] };
}
