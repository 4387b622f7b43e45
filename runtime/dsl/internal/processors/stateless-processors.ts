import type { StreamRecord } from '../../../processor/record.ts';
import type { KeyValue } from '../../options.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/* The record-at-a-time KStream operators. Each forwards a new record (records are
 * immutable) with the input's timestamp and headers. */

export class PassThroughProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  process(record: StreamRecord<K, V>): void {
    this.context.forward(record);
  }
}

/** filter (keep = true) and filterNot (keep = false). */
export class FilterProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  constructor(
    private readonly predicate: (key: K, value: V) => boolean,
    private readonly keep: boolean,
  ) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    if (this.predicate(record.key, record.value) === this.keep) this.context.forward(record);
  }
}

export class MapProcessor<K, V, K2, V2> extends ForwardingProcessor<K, V, K2, V2> {
  constructor(private readonly mapper: (key: K, value: V) => KeyValue<K2, V2>) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    const kv = this.mapper(record.key, record.value);
    this.context.forward({ key: kv.key, value: kv.value, timestamp: record.timestamp, headers: record.headers });
  }
}

export class MapValuesProcessor<K, V, V2> extends ForwardingProcessor<K, V, K, V2> {
  constructor(private readonly mapper: (value: V, key: K) => V2) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    this.context.forward({ key: record.key, value: this.mapper(record.value, record.key), timestamp: record.timestamp, headers: record.headers });
  }
}

export class SelectKeyProcessor<K, V, K2> extends ForwardingProcessor<K, V, K2, V> {
  constructor(private readonly selector: (key: K, value: V) => K2) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    this.context.forward({ key: this.selector(record.key, record.value), value: record.value, timestamp: record.timestamp, headers: record.headers });
  }
}

export class FlatMapProcessor<K, V, K2, V2> extends ForwardingProcessor<K, V, K2, V2> {
  constructor(private readonly mapper: (key: K, value: V) => Iterable<KeyValue<K2, V2>>) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    for (const kv of this.mapper(record.key, record.value)) {
      this.context.forward({ key: kv.key, value: kv.value, timestamp: record.timestamp, headers: record.headers });
    }
  }
}

export class FlatMapValuesProcessor<K, V, V2> extends ForwardingProcessor<K, V, K, V2> {
  constructor(private readonly mapper: (value: V, key: K) => Iterable<V2>) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    for (const value of this.mapper(record.value, record.key)) {
      this.context.forward({ key: record.key, value, timestamp: record.timestamp, headers: record.headers });
    }
  }
}

/** peek (forward = true) and foreach (forward = false, a terminal node). */
export class PeekProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  constructor(
    private readonly action: (key: K, value: V) => void,
    private readonly forward: boolean,
  ) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    this.action(record.key, record.value);
    if (this.forward) this.context.forward(record);
  }
}

/** split(): sends each record to the first branch whose predicate matches, else to the default branch if any. */
export class BranchProcessor<K, V> extends ForwardingProcessor<K, V, K, V> {
  constructor(
    private readonly predicates: ReadonlyArray<(key: K, value: V) => boolean>,
    private readonly childNames: readonly string[],
    private readonly defaultChild: string | undefined,
  ) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    for (let i = 0; i < this.predicates.length; i++) {
      if (this.predicates[i]!(record.key, record.value)) {
        this.context.forward(record, this.childNames[i]);
        return;
      }
    }
    if (this.defaultChild !== undefined) this.context.forward(record, this.defaultChild);
  }
}
