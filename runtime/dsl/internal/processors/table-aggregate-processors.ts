import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import { forwardOnCacheFlush } from '../../../state/cached-forwarding.ts';
import type { KeyValueStore } from '../../../state/state-store.ts';
import type { KeyValue } from '../../options.ts';
import type { Change } from '../change.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * KTable.groupBy: re-keys each side of a change. The old row is sent as a "subtract"
 * to the group it belonged to, then the new row as an "add" to its group; they travel
 * through the repartition topic as separate records (see ChangeSerde).
 */
export class TableGroupBySelectProcessor<K, V, K2, V2> extends ForwardingProcessor<K, Change<V>, K2, Change<V2>> {
  constructor(private readonly selector: (key: K, value: V) => KeyValue<K2, V2>) {
    super();
  }

  process(record: StreamRecord<K, Change<V>>): void {
    const { oldValue, newValue } = record.value;
    if (oldValue !== null) {
      const kv = this.selector(record.key, oldValue);
      this.context.forward({ key: kv.key, value: { newValue: null, oldValue: kv.value }, timestamp: record.timestamp, headers: record.headers });
    }
    if (newValue !== null) {
      const kv = this.selector(record.key, newValue);
      this.context.forward({ key: kv.key, value: { newValue: kv.value, oldValue: null }, timestamp: record.timestamp, headers: record.headers });
    }
  }
}

/**
 * KGroupedTable aggregate/reduce/count: agg = subtractor(old) then adder(new), starting
 * from `initializer()` for a new key (reduce has none: its first added value is the
 * aggregate). A subtract for a key without aggregate is ignored (nothing to take from).
 * Forwards the aggregate's change: with the store's cache on, once per key per commit or
 * eviction (see StreamAggregateProcessor); without one, every change.
 */
export class TableAggregateProcessor<K, V, VA> extends ForwardingProcessor<K, Change<V>, K, Change<VA>> {
  private store!: KeyValueStore<K, VA>;
  private cached = false;

  constructor(
    private readonly storeName: string,
    private readonly initializer: (() => VA) | undefined,
    private readonly adder: (key: K, value: V, aggregate: VA) => VA,
    private readonly subtractor: (key: K, value: V, aggregate: VA) => VA,
    private readonly firstValue: ((value: V) => VA) | undefined,
  ) {
    super();
  }

  override init(context: ProcessorContext<K, Change<VA>>): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
    this.cached = forwardOnCacheFlush<K, VA>(this.store, (key, newValue, oldValue, timestamp) =>
      this.context.forward({ key, value: { newValue, oldValue }, timestamp, headers: {} }),
    );
  }

  close(): void {
    forwardOnCacheFlush(this.store, undefined);
  }

  process(record: StreamRecord<K, Change<V>>): void {
    const key = record.key;
    if (key === null || key === undefined) throw new NullKeyError(`cannot aggregate a record without a key into ${this.storeName}`);
    const old = this.store.get(key);
    let agg: VA | undefined = old;
    const { oldValue, newValue } = record.value;
    if (oldValue !== null && agg !== undefined) agg = this.subtractor(key, oldValue, agg);
    if (newValue !== null) {
      if (agg === undefined) agg = this.firstValue !== undefined ? this.firstValue(newValue) : this.adder(key, newValue, this.initializer!());
      else agg = this.adder(key, newValue, agg);
    }
    if (agg === undefined) return;
    this.store.put(key, agg);
    if (!this.cached) this.context.forward({ key, value: { newValue: agg, oldValue: old ?? null }, timestamp: record.timestamp, headers: record.headers });
  }
}
