import { NullKeyError, NullValueError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { KeyValueStore } from '../../../state/state-store.ts';
import type { CountWindowState } from '../../../windows/internal/count-window-state.ts';
import type { Windowed } from '../../../windows/window.ts';
import type { Change } from '../change.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * Count window aggregation: the open window of each key is one store entry (window
 * number, records so far, aggregate). Each record is added; when the window holds `size`
 * records it is emitted (both emit modes) and the key's next window starts empty.
 * `onUpdate` also emits the partial aggregate after every record.
 */
export class CountWindowAggregateProcessor<K, V, VA> extends ForwardingProcessor<K, V, Windowed<K>, Change<VA>> {
  private store!: KeyValueStore<K, CountWindowState<VA>>;

  constructor(
    private readonly storeName: string,
    private readonly size: number,
    private readonly everyUpdate: boolean,
    private readonly initializer: () => VA,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
  ) {
    super();
  }

  override init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
  }

  process(record: StreamRecord<K, V>): void {
    const { key, value } = record;
    if (key === null || key === undefined)
      throw new NullKeyError(`cannot aggregate a record without a key into ${this.storeName}`);
    if (value === null || value === undefined)
      throw new NullValueError(`cannot aggregate a null value into ${this.storeName}`);
    const state = this.store.get(key) ?? { index: 0, count: 0, aggregate: this.initializer() };
    const next = {
      index: state.index,
      count: state.count + 1,
      aggregate: this.aggregator(key, value, state.aggregate),
    };
    const full = next.count === this.size;
    this.store.put(key, full ? { index: next.index + 1, count: 0, aggregate: this.initializer() } : next);
    if (!full && !this.everyUpdate) return;
    const window = { start: next.index * this.size, end: (next.index + 1) * this.size };
    const old = state.count === 0 ? null : state.aggregate;
    this.context.forward({
      key: { key, window },
      value: { newValue: next.aggregate, oldValue: old },
      timestamp: record.timestamp,
      headers: record.headers,
    });
  }
}
