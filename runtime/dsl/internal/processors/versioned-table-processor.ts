import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { VersionedKeyValueStore } from '../../../state/versioned-key-value-store.ts';
import { lateRecord } from '../../../windows/late-events.ts';
import type { Change } from '../change.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * The source processor of a versioned table: puts each record into the versioned store
 * as the version valid from its timestamp (a null value: deleted from then on). Only a
 * write that becomes the latest version changes the table's current value and is
 * forwarded as a change; an out-of-order write only fills in history. A write older than
 * the history retention is refused by the store and sent to the late-events topic
 * (reason `history-expired`).
 */
export class VersionedTableProcessor<K, V> extends ForwardingProcessor<K, V | null, K, unknown> {
  private store!: VersionedKeyValueStore<K, V>;

  constructor(
    private readonly storeName: string,
    private readonly resultChild: string,
    private readonly lateChild: string,
  ) {
    super();
  }

  override init(context: ProcessorContext<K, unknown>): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
  }

  process(record: StreamRecord<K, V | null>): void {
    const key = record.key;
    if (key === null || key === undefined)
      throw new NullKeyError(`versioned table ${this.storeName} cannot hold a record without a key`);
    const value = record.value ?? null;
    const before = this.store.getLatest(key);
    if (!this.store.put(key, value, record.timestamp)) {
      const bound = this.store.observedStreamTime - this.store.historyRetentionMs;
      const late = {
        reason: 'history-expired' as const,
        missedByMs: bound - record.timestamp,
        streamTimeMs: this.store.observedStreamTime,
        graceMs: this.store.historyRetentionMs,
        processor: this.context.processorName,
      };
      this.context.forward(lateRecord(record, late, this.context.currentSystemTimeMs()), this.lateChild);
      return;
    }
    if (before !== undefined && record.timestamp < before.validFrom) return;
    const change: Change<V> = { newValue: value, oldValue: before?.value ?? null };
    this.context.forward(
      { key, value: change, timestamp: record.timestamp, headers: record.headers },
      this.resultChild,
    );
  }
}
