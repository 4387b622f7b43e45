import { nodeGroups } from './internal/node-groups.ts';
import { childrenOf, parentsOf, type NodeDef } from './internal/topology-nodes.ts';
import type { Topology } from './topology.ts';

export interface NodeDescription {
  readonly kind: 'source' | 'processor' | 'sink';
  readonly name: string;
  /** Topics a source reads (internal ones without the application id prefix). */
  readonly topics: readonly string[];
  /** Topic a sink writes. */
  readonly topic: string | undefined;
  /** Stores a processor is connected to. */
  readonly stores: readonly string[];
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

export interface SubtopologyDescription {
  readonly id: number;
  /** True for a global store's source and processor (they create no tasks). */
  readonly global: boolean;
  /** Nodes ordered as Kafka Streams prints them: larger sub-trees first, then by name. */
  readonly nodes: readonly NodeDescription[];
}

/** What `topology.describe()` returns: the structure, as text and as a Mermaid chart. */
export interface TopologyDescription {
  readonly subtopologies: readonly SubtopologyDescription[];
  /** Kafka Streams' `TopologyDescription#toString()` format. */
  toString(): string;
  /** A Mermaid `flowchart` of nodes, topics and stores, one subgraph per subtopology. */
  toMermaid(): string;
}

export function describeTopology(topology: Topology): TopologyDescription {
  const subtopologies = nodeGroups(topology).map((group): SubtopologyDescription => {
    const sizes = new Map<string, number>();
    for (const node of group.nodes) sizes.set(node.name, subtreeSize(topology, node));
    const nodes = group.nodes
      .map(describeNode)
      .sort((a, b) => sizes.get(b.name)! - sizes.get(a.name)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { id: group.id, global: group.global, nodes };
  });
  return { subtopologies, toString: () => toText(subtopologies), toMermaid: () => toMermaid(subtopologies) };
}

function describeNode(node: NodeDef): NodeDescription {
  return {
    kind: node.kind,
    name: node.name,
    topics: node.kind === 'source' ? node.topics : [],
    topic: node.kind === 'sink' ? node.topic : undefined,
    stores: node.kind === 'processor' ? node.stores : [],
    successors: childrenOf(node),
    predecessors: parentsOf(node),
  };
}

function subtreeSize(topology: Topology, root: NodeDef): number {
  const seen = new Set<string>();
  const stack = [root.name];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const c of childrenOf(topology.nodes.get(name)!)) stack.push(c);
  }
  return seen.size;
}

function toText(subtopologies: readonly SubtopologyDescription[]): string {
  let out = 'Topologies:\n ';
  for (const sub of subtopologies) {
    out += `  Sub-topology: ${sub.id}${sub.global ? ' for global store (will not generate tasks)' : ''}\n`;
    for (const n of sub.nodes) {
      if (n.kind === 'source') out += `    Source: ${n.name} (topics: [${n.topics.join(', ')}])\n`;
      else if (n.kind === 'processor') out += `    Processor: ${n.name} (stores: [${n.stores.join(', ')}])\n`;
      else out += `    Sink: ${n.name} (topic: ${n.topic})\n`;
      if (n.kind !== 'sink') out += `      --> ${n.successors.length === 0 ? 'none' : n.successors.join(', ')}\n`;
      if (n.kind !== 'source') out += `      <-- ${n.predecessors.join(', ')}\n`;
    }
    out += '\n';
  }
  return out;
}

function toMermaid(subtopologies: readonly SubtopologyDescription[]): string {
  const ids = new Map<string, string>();
  const id = (kind: string, name: string): string => {
    const key = `${kind}:${name}`;
    let v = ids.get(key);
    if (v === undefined) ids.set(key, (v = `${kind}${ids.size}`));
    return v;
  };
  const label = (text: string): string => `"${text.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart TD'];
  const edges: string[] = [];
  for (const sub of subtopologies) {
    lines.push(`  subgraph sub${sub.id} [${label(`Sub-topology ${sub.id}${sub.global ? ' (global store)' : ''}`)}]`);
    for (const n of sub.nodes) {
      lines.push(`    ${id('n', n.name)}[${label(n.name)}]`);
      for (const t of n.topics) edges.push(`  ${id('t', t)}[/${label(t)}/] --> ${id('n', n.name)}`);
      if (n.topic !== undefined) edges.push(`  ${id('n', n.name)} --> ${id('t', n.topic)}[/${label(n.topic)}/]`);
      for (const s of n.stores) edges.push(`  ${id('n', n.name)} -.- ${id('s', s)}[(${label(s)})]`);
      for (const c of n.successors) edges.push(`  ${id('n', n.name)} --> ${id('n', c)}`);
    }
    lines.push('  end');
  }
  return [...lines, ...edges].join('\n') + '\n';
}
