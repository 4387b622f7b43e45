import type { KStream, Processor, ProcessorContext, StreamRecord } from '../runtime/index.ts';

/**
 * A combiner before a repartition: folds the records of each key (`keyOf(value, timestamp)`)
 * into one partial aggregate in memory and forwards one record per key per
 * commit (the runtime's `Processor.onCommit`), timestamped with the latest record folded in,
 * instead of one record per input. The consumer after the repartition merges partials.
 *
 * Exactly-once without a store: the partials are forwarded at every commit, before the
 * input offsets are committed and in the same transaction, so the map is empty whenever
 * offsets are committed. After a crash the open transaction (its partials and its
 * offsets) is aborted and the records since the last commit are read and folded again:
 * nothing is lost or counted twice.
 */
class Partials<K, V, P> implements Processor<K, V, string, P> {
  private context!: ProcessorContext<string, P>;
  private readonly partials = new Map<string, { partial: P; timestamp: number }>();

  constructor(
    private readonly keyOf: (value: V, timestamp: number) => string,
    private readonly empty: () => P,
    private readonly add: (partial: P, value: V, timestamp: number) => P,
  ) {}

  init(context: ProcessorContext<string, P>): void {
    this.context = context;
  }

  process(record: StreamRecord<K, V>): void {
    const key = this.keyOf(record.value, record.timestamp);
    const held = this.partials.get(key);
    const partial = this.add(held?.partial ?? this.empty(), record.value, record.timestamp);
    this.partials.set(key, { partial, timestamp: Math.max(held?.timestamp ?? record.timestamp, record.timestamp) });
  }

  onCommit(): void {
    if (this.partials.size === 0) return;
    const held = [...this.partials];
    this.partials.clear();
    for (const [key, { partial, timestamp }] of held) this.context.forward({ key, value: partial, timestamp, headers: {} });
  }
}

/** Partial aggregates of `stream` per `keyOf(value, timestamp)`, one per key per commit, from a processor named `named`. */
export function partialsBy<V, P, K = unknown>(stream: KStream<K, V>, named: string, keyOf: (value: V, timestamp: number) => string, empty: () => P, add: (partial: P, value: V, timestamp: number) => P): KStream<string, P> {
  return stream.process(() => new Partials<K, V, P>(keyOf, empty, add), { named });
}
