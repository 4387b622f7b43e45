import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { VersionedKeyValueStore, VersionedRecord } from '../../../state/versioned-key-value-store.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * Temporal stream-table join against a versioned table (KIP-914): a stream record at
 * event time t joins the table version valid at t (largest validFrom <= t), not the
 * table's current value, so the result does not depend on how stream and table records
 * interleave. Inner: no version at t (or a delete) yields nothing; left: joins null.
 */
export class TemporalJoinProcessor<K, V, VT, VR> extends ForwardingProcessor<K, V, K, VR> {
  private store!: VersionedKeyValueStore<K, VT>;

  constructor(
    private readonly storeName: string,
    private readonly joiner: (value: V, tableValue: VT | null, key: K) => VR,
    private readonly left: boolean,
  ) {
    super();
  }

  override init(context: ProcessorContext<K, VR>): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
  }

  process(record: StreamRecord<K, V>): void | Promise<void> {
    if (record.key === null || record.key === undefined)
      throw new NullKeyError(`cannot join a stream record without a key to a table (${this.context.processorName})`);
    const found = this.store.get(record.key, record.timestamp);
    if (found instanceof Promise) return found.then((v) => this.emit(record, v));
    this.emit(record, found);
  }

  private emit(record: StreamRecord<K, V>, version: VersionedRecord<VT> | undefined): void {
    const tableValue = version?.value ?? null;
    if (tableValue === null && !this.left) return;
    this.context.forward({
      key: record.key,
      value: this.joiner(record.value, tableValue, record.key),
      timestamp: record.timestamp,
      headers: record.headers,
    });
  }
}
