import { BranchProcessor } from './internal/processors/stateless-processors.ts';
import { KStream } from './kstream.ts';

/** Options of one branch of `split()`. */
export interface Branched<K, V> {
  /** Branch name; the result key is `<split name><branch name>`. Default: its 1-based position ("0" for the default branch). */
  name?: string;
  /** Applies operators to the branch; its return value (if a stream) is put in the result instead. */
  chain?: (branch: KStream<K, V>) => KStream<K, V> | void;
}

/**
 * The result of `KStream.split()`: add branches with `branch(predicate)`; each record
 * goes to the first branch whose predicate matches, otherwise to the default branch.
 * Without a default branch (`noDefaultBranch()`) unmatched records are dropped, on
 * purpose. The terminal call returns the branches by name.
 */
export class BranchedKStream<K, V> {
  private readonly predicates: Array<(key: K, value: V) => boolean> = [];
  private readonly branches: Array<{ name: string; branched: Branched<K, V> }> = [];

  /** @internal */
  constructor(
    private readonly parent: KStream<K, V>,
    private readonly splitName: string,
    private readonly prefix: string,
  ) {}

  branch(predicate: (key: K, value: V) => boolean, branched: Branched<K, V> = {}): this {
    this.predicates.push(predicate);
    this.branches.push({ name: branched.name ?? String(this.branches.length + 1), branched });
    return this;
  }

  defaultBranch(branched: Branched<K, V> = {}): Record<string, KStream<K, V>> {
    return this.finish({ name: branched.name ?? '0', branched });
  }

  noDefaultBranch(): Record<string, KStream<K, V>> {
    return this.finish(undefined);
  }

  private finish(defaultBranch: { name: string; branched: Branched<K, V> } | undefined): Record<string, KStream<K, V>> {
    const builder = this.parent.builder;
    const all = defaultBranch === undefined ? this.branches : [...this.branches, defaultBranch];
    const childNames = all.map((b) => `${this.splitName}-${b.name}`);
    const predicates = [...this.predicates];
    const branchChildren = childNames.slice(0, predicates.length);
    const defaultChild = defaultBranch === undefined ? undefined : childNames[childNames.length - 1];
    builder.topology.addProcessor(this.splitName, () => new BranchProcessor(predicates, branchChildren, defaultChild), this.parent.node);
    const result: Record<string, KStream<K, V>> = {};
    all.forEach((b, i) => {
      const node = builder.passThrough(childNames[i]!, this.splitName);
      const stream = new KStream<K, V>(builder, node, this.parent.keySerde, this.parent.valueSerde, this.parent.repartitionRequired);
      const chained = b.branched.chain?.(stream);
      result[`${this.prefix}${b.name}`] = chained instanceof KStream ? chained : stream;
    });
    return result;
  }
}
