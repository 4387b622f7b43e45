import { NullKeyError, NullValueError } from '../../../errors/runtime-errors.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import { forwardOnCacheFlush } from '../../../state/cached-forwarding.ts';
import type { KeyValueStore } from '../../../state/state-store.ts';
import type { Change } from '../change.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * Aggregates a grouped stream into a store: agg = aggregator(key, value, stored ??
 * initializer()). Forwards updates as Changes (new and previous aggregate): with the
 * store's cache on (the DSL default), once per key per commit or cache eviction, as the
 * cache writes it down (Kafka Streams' cache flush listener); without one, every update. A
 * record without a key or value cannot be aggregated: it fails with NULL_KEY/NULL_VALUE, so the processing
 * handler sends it to the dead-letter topic (or fails) instead of dropping it.
 * count and reduce are aggregations too (see KGroupedStream).
 */
export class StreamAggregateProcessor<K, V, VA> extends ForwardingProcessor<K, V, K, Change<VA>> {
  private store!: KeyValueStore<K, VA>;
  /** Updates are forwarded by the store's cache when it writes them down. */
  private cached = false;

  constructor(
    private readonly storeName: string,
    private readonly initializer: (() => VA) | undefined,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
    private readonly firstValue: ((value: V) => VA) | undefined,
  ) {
    super();
  }

  override init(context: Parameters<ForwardingProcessor<K, V, K, Change<VA>>['init']>[0]): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
    this.cached = forwardOnCacheFlush<K, VA>(this.store, (key, newValue, oldValue, timestamp) =>
      this.context.forward({ key, value: { newValue, oldValue }, timestamp, headers: {} }),
    );
  }

  close(): void {
    forwardOnCacheFlush(this.store, undefined);
  }

  process(record: StreamRecord<K, V>): void {
    const key = record.key;
    if (key === null || key === undefined) throw new NullKeyError(`cannot aggregate a record without a key into ${this.storeName}`);
    if (record.value === null || record.value === undefined) throw new NullValueError(`cannot aggregate a null value into ${this.storeName}`);
    const old = this.store.get(key);
    let next: VA;
    if (old === undefined && this.firstValue !== undefined) next = this.firstValue(record.value);
    else next = this.aggregator(key, record.value, old ?? this.initializer!());
    this.store.put(key, next);
    if (!this.cached) this.context.forward({ key, value: { newValue: next, oldValue: old ?? null }, timestamp: record.timestamp, headers: record.headers });
  }
}
