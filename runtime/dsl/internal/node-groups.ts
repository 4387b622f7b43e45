import type { Topology } from '../topology.ts';
import { childrenOf, type NodeDef } from './topology-nodes.ts';

/** One connected component of the topology graph. */
export interface NodeGroup {
  readonly id: number;
  /** Nodes in the order they were added to the topology. */
  readonly nodes: NodeDef[];
  /** True for the source and processor of a global store (no tasks). */
  readonly global: boolean;
}

/**
 * Splits a topology into subtopologies: the connected components of the graph whose
 * edges are parent-child links and shared stores (two processors using one store must
 * run in one task). A topic written by a sink and read by a source does not connect
 * them, which is how a repartition topic cuts one subtopology into two. Groups are
 * numbered in the order of their first node, as in Kafka Streams.
 */
export function nodeGroups(topology: Topology): NodeGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let cur = x;
    while (cur !== root) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const name of topology.nodes.keys()) parent.set(name, name);
  const storeUser = new Map<string, string>();
  for (const node of topology.nodes.values()) {
    for (const child of childrenOf(node)) union(node.name, child);
    if (node.kind === 'processor') {
      for (const store of node.stores) {
        const other = storeUser.get(store);
        if (other === undefined) storeUser.set(store, node.name);
        else union(node.name, other);
      }
    }
  }
  const byRoot = new Map<string, NodeDef[]>();
  for (const node of topology.nodes.values()) {
    const root = find(node.name);
    let list = byRoot.get(root);
    if (list === undefined) byRoot.set(root, (list = []));
    list.push(node);
  }
  let id = 0;
  return [...byRoot.values()].map((nodes) => ({
    id: id++,
    nodes,
    global: nodes.some((n) => n.kind === 'processor' && n.stores.some((s) => topology.stores.get(s)?.global === true)),
  }));
}
