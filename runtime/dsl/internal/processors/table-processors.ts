import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { KeyValueStore } from '../../../state/state-store.ts';
import type { Change } from '../change.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/* The KTable operators. Tables forward Change records (new and old value) so that
 * downstream aggregations can subtract old contributions; a null new value is a delete. */

/**
 * Materializes upserts into a store and forwards the change: builder.table(),
 * KStream.toTable() and the update processor of a GlobalKTable (which has no children).
 * `changeInput` says the input values are already Changes (a table re-materialized).
 */
export class TableUpsertProcessor<K, V> extends ForwardingProcessor<K, V, K, Change<V>> {
  private store!: KeyValueStore<K, V>;

  constructor(private readonly storeName: string) {
    super();
  }

  override init(context: ProcessorContext<K, Change<V>>): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
  }

  process(record: StreamRecord<K, V>): void {
    const key = record.key;
    if (key === null || key === undefined) throw new NullKeyError(`table ${this.storeName} cannot hold a record without a key`);
    const value = record.value ?? null;
    const old = value === null ? this.store.delete(key) : this.store.get(key);
    if (value !== null) this.store.put(key, value);
    this.context.forward({ key, value: { newValue: value, oldValue: old ?? null }, timestamp: record.timestamp, headers: record.headers });
  }
}

/**
 * filter/filterNot/mapValues on a table: applies `transform` to both sides of the
 * change (a filtered-out row becomes null, i.e. a delete), materializes the result if
 * a store is given, and forwards nothing when both sides are null.
 */
export class TableTransformProcessor<K, V, V2> extends ForwardingProcessor<K, Change<V>, K, Change<V2>> {
  private store: KeyValueStore<K, V2> | undefined;

  constructor(
    private readonly transform: (key: K, value: V) => V2 | null,
    private readonly storeName: string | undefined,
  ) {
    super();
  }

  override init(context: ProcessorContext<K, Change<V2>>): void {
    super.init(context);
    if (this.storeName !== undefined) this.store = context.getStateStore<KeyValueStore<K, V2>>(this.storeName);
  }

  process(record: StreamRecord<K, Change<V>>): void {
    const change = record.value;
    const newValue = change.newValue === null ? null : this.transform(record.key, change.newValue);
    let oldValue = change.oldValue === null ? null : this.transform(record.key, change.oldValue);
    if (this.store !== undefined) {
      oldValue = this.store.get(record.key) ?? null;
      if (newValue === null) this.store.delete(record.key);
      else this.store.put(record.key, newValue);
    }
    if (newValue === null && oldValue === null) return;
    this.context.forward({ key: record.key, value: { newValue, oldValue }, timestamp: record.timestamp, headers: record.headers });
  }
}

/** toStream(): the stream of a table's updates; a delete becomes a null value. */
export class TableToStreamProcessor<K, V> extends ForwardingProcessor<K, Change<V>, K, V | null> {
  process(record: StreamRecord<K, Change<V>>): void {
    this.context.forward({ key: record.key, value: record.value.newValue, timestamp: record.timestamp, headers: record.headers });
  }
}
