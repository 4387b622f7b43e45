import { StreamsError } from '../../errors/streams-error.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from '../../state/state-store.ts';

/**
 * One store name across the tasks of several partitions, as a test sees it: `get`
 * finds the key in whichever partition holds it; scans go partition by partition (so
 * they are ordered within a partition only). Writes are refused: tests write through
 * input topics.
 */
export class PartitionedStoreView<K, V> implements KeyValueStore<K, V> {
  readonly persistent: boolean;

  constructor(
    readonly name: string,
    private readonly parts: readonly KeyValueStore<K, V>[],
  ) {
    this.persistent = parts[0]?.persistent ?? false;
  }

  get(key: K): V | undefined {
    for (const p of this.parts) {
      const v = p.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  put(): void {
    this.readOnly();
  }

  putIfAbsent(): V | undefined {
    return this.readOnly();
  }

  delete(): V | undefined {
    return this.readOnly();
  }

  async *range(from?: K, to?: K): AsyncGenerator<KeyValueIteratorEntry<K, V>> {
    for (const p of this.parts) yield* p.range(from, to);
  }

  async *all(): AsyncGenerator<KeyValueIteratorEntry<K, V>> {
    for (const p of this.parts) yield* p.all();
  }

  approximateNumEntries(): number {
    return this.parts.reduce((n, p) => n + p.approximateNumEntries(), 0);
  }

  async init(_context: StateStoreContext): Promise<void> {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {}

  private readOnly(): never {
    throw new StreamsError('STORE_READ_ONLY', `store ${this.name} spans several partitions in the test driver and is read-only here`);
  }
}
