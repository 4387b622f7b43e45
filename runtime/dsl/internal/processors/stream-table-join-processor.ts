import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { ValueGetter, ValueGetterSupplier } from '../value-getter.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * Stream-table and stream-GlobalKTable join: each stream record looks up the table's
 * current value for `keyMapper(key, value)` (the record's own key for a KTable, any key
 * for a GlobalKTable) when it is processed. Inner: a record without a table value yields
 * nothing; left: it is joined with null. Table updates trigger nothing. A stream record
 * without a key (KTable joins) fails with NULL_KEY and goes to the processing handler.
 */
export class StreamTableJoinProcessor<K, V, KT, VT, VR> extends ForwardingProcessor<K, V, K, VR> {
  private getter!: ValueGetter<KT, VT>;

  constructor(
    private readonly table: ValueGetterSupplier<KT, VT>,
    private readonly keyMapper: ((key: K, value: V) => KT) | undefined,
    private readonly joiner: (value: V, tableValue: VT | null, key: K) => VR,
    private readonly left: boolean,
  ) {
    super();
  }

  override init(context: ProcessorContext<K, VR>): void {
    super.init(context);
    this.getter = this.table.get();
    this.getter.init(context as ProcessorContext<unknown, unknown>);
  }

  process(record: StreamRecord<K, V>): void {
    let tableKey: KT | null;
    if (this.keyMapper === undefined) {
      if (record.key === null || record.key === undefined)
        throw new NullKeyError(`cannot join a stream record without a key to a table (${this.context.processorName})`);
      tableKey = record.key as unknown as KT;
    } else tableKey = this.keyMapper(record.key, record.value) ?? null;
    const tableValue = tableKey === null ? null : this.getter.get(tableKey);
    if (tableValue === null && !this.left) return;
    this.context.forward({
      key: record.key,
      value: this.joiner(record.value, tableValue, record.key),
      timestamp: record.timestamp,
      headers: record.headers,
    });
  }
}
