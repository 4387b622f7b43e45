import { TopologyError } from '../../errors/runtime-errors.ts';
import type { SerdeDefaults, StoreBuilder } from '../../state/stores.ts';
import type { Topology } from '../topology.ts';
import { nodeGroups } from './node-groups.ts';
import type { NodeDef, SourceNodeDef } from './topology-nodes.ts';
import { partitionCounts } from './partition-counts.ts';

export interface CompileOptions {
  applicationId: string;
  /** Serdes for sources, sinks and stores that were given none. */
  defaults?: SerdeDefaults;
}

export interface CompiledStore {
  readonly name: string;
  readonly builder: StoreBuilder;
  /** `<application.id>-<store>-changelog`, or null when logging is off (and for global stores). */
  readonly changelogTopic: string | null;
}

/** One subtopology: the unit a task executes for one partition. */
export interface CompiledSubtopology {
  readonly id: number;
  readonly global: boolean;
  readonly nodes: readonly NodeDef[];
  /** Resolved names of every topic its sources read; they are co-partitioned. */
  readonly sourceTopics: readonly string[];
  readonly sourceByTopic: ReadonlyMap<string, SourceNodeDef>;
  /** Resolved topic of each sink node, by sink name. */
  readonly sinkTopics: ReadonlyMap<string, string>;
  readonly stores: readonly CompiledStore[];
}

/** A topic the application owns and creates before it starts. */
export interface InternalTopicSpec {
  readonly name: string;
  /** `output`: written only, never read back (the late-events topic). */
  readonly kind: 'repartition' | 'changelog' | 'output';
  /** Fixed partition count; when undefined worked out by partition-counts.ts. */
  readonly numberOfPartitions: number | undefined;
  /**
   * Topic configs: changelogs get `cleanup.policy=compact` plus their store's log config
   * (window and session stores: `compact,delete` and a retention); output topics their own.
   */
  readonly config: Readonly<Record<string, string>>;
}

/** A topology resolved for one application id: what a runtime needs to run it. */
export interface CompiledTopology {
  readonly applicationId: string;
  readonly subtopologies: readonly CompiledSubtopology[];
  readonly globalSubtopologies: readonly CompiledSubtopology[];
  readonly internalTopics: readonly InternalTopicSpec[];
  /** Topics read by tasks that the application does not own (user topics). */
  readonly externalSourceTopics: readonly string[];
  /**
   * Groups of topics that must have equal partition counts: the inputs of one
   * subtopology, read together by one task per partition number.
   */
  readonly copartitionGroups: readonly (readonly string[])[];
  readonly defaults: SerdeDefaults;
}

export function compileTopology(topology: Topology, options: CompileOptions): CompiledTopology {
  const appId = options.applicationId;
  const resolve = (topic: string): string => (topology.internalTopics.has(topic) ? `${appId}-${topic}` : topic);
  const subtopologies: CompiledSubtopology[] = [];
  const globals: CompiledSubtopology[] = [];
  const internalTopics: InternalTopicSpec[] = [];
  const external = new Set<string>();
  const internalNames = new Set([...topology.internalTopics.keys()].map(resolve));
  for (const group of nodeGroups(topology)) {
    const sourceByTopic = new Map<string, SourceNodeDef>();
    const sinkTopics = new Map<string, string>();
    const storeNames = new Set<string>();
    for (const node of group.nodes) {
      if (node.kind === 'source') for (const t of node.topics) sourceByTopic.set(resolve(t), node);
      else if (node.kind === 'sink') sinkTopics.set(node.name, resolve(node.topic));
      else for (const s of node.stores) storeNames.add(s);
    }
    const stores = [...storeNames].map((name): CompiledStore => {
      const reg = topology.stores.get(name);
      if (reg === undefined) throw new TopologyError(`store ${name} is used but was never registered`, { context: { store: name } });
      const logged = !reg.global && reg.builder.loggingEnabled;
      return { name, builder: reg.builder, changelogTopic: logged ? `${appId}-${name}-changelog` : null };
    });
    const sub: CompiledSubtopology = {
      id: group.id,
      global: group.global,
      nodes: group.nodes,
      sourceTopics: [...sourceByTopic.keys()],
      sourceByTopic,
      sinkTopics,
      stores,
    };
    (group.global ? globals : subtopologies).push(sub);
    if (group.global) continue;
    for (const topic of sub.sourceTopics) if (!internalNames.has(topic)) external.add(topic);
    for (const store of stores) {
      if (store.changelogTopic === null) continue;
      internalTopics.push({
        name: store.changelogTopic,
        kind: 'changelog',
        numberOfPartitions: undefined,
        config: { 'cleanup.policy': 'compact', ...store.builder.logConfig },
      });
    }
  }
  for (const def of topology.internalTopics.values()) {
    const name = resolve(def.name);
    internalTopics.unshift({ name, kind: def.kind, numberOfPartitions: def.numberOfPartitions, config: def.config });
  }
  return {
    applicationId: appId,
    subtopologies,
    globalSubtopologies: globals,
    internalTopics,
    externalSourceTopics: [...external],
    copartitionGroups: subtopologies.filter((s) => s.sourceTopics.length > 1).map((s) => s.sourceTopics),
    defaults: options.defaults ?? {},
  };
}

/**
 * Partition counts of the internal topics, given those of the user topics: the runtime's
 * rule (partition-counts.ts: fixed counts, co-partitioned groups, writers' counts), with
 * no internal topic existing yet.
 */
export function internalTopicPartitions(compiled: CompiledTopology, partitionsOf: (topic: string) => number): Map<string, number> {
  const written = new Map(compiled.internalTopics.filter((s) => s.kind !== 'changelog').map((s) => [s.name, s.numberOfPartitions]));
  const subtopologies = compiled.subtopologies.map((s) => ({
    id: s.id,
    sourceTopics: s.sourceTopics,
    sinkTopics: [...new Set(s.sinkTopics.values())],
    changelogs: s.stores.flatMap((st) => (st.changelogTopic === null ? [] : [st.changelogTopic])),
  }));
  return partitionCounts({ subtopologies, written, existing: (t) => (written.has(t) ? undefined : partitionsOf(t)) }).topics;
}
