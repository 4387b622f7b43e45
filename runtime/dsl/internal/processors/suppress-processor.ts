import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { Serde } from '../../../serde/serde.ts';
import type { KeyValueStore } from '../../../state/state-store.ts';
import type { StoreBuilder } from '../../../state/stores.ts';
import { deferredKeyValueStore } from '../../../windows/internal/deferred-key-value-store.ts';
import { DueIndex } from '../../../windows/internal/due-index.ts';
import { NullableSerde } from '../../../windows/internal/nullable-serde.ts';
import { resolveSerde } from '../../../windows/internal/resolve-serde.ts';
import type { Windowed } from '../../../windows/window.ts';
import type { Change } from '../change.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/**
 * suppress(untilWindowCloses): keeps the latest value of each (key, window) in a
 * changelogged buffer store and forwards it once the task's stream time reaches the
 * window end plus grace; then deletes it from the buffer. The due index over the buffer
 * is rebuilt from the store when the task starts.
 */
export class SuppressProcessor<K, V> extends ForwardingProcessor<Windowed<K>, Change<V>, Windowed<K>, Change<V>> {
  private store!: KeyValueStore<Windowed<K>, V | null>;
  private readonly due = new DueIndex<Windowed<K>>();

  constructor(
    private readonly storeName: string,
    private readonly graceMs: number,
  ) {
    super();
  }

  static storeBuilder<K, V>(
    name: string,
    keySerde: Serde<Windowed<K>> | undefined,
    valueSerde: Serde<V> | undefined,
  ): StoreBuilder {
    return deferredKeyValueStore(name, false, true, (d) => ({
      keySerde: resolveSerde(keySerde, d, 'key', name),
      valueSerde: new NullableSerde(resolveSerde(valueSerde, d, 'value', name)),
    }));
  }

  override async init(context: ProcessorContext<Windowed<K>, Change<V>>): Promise<void> {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
    for await (const { key } of this.store.all()) this.due.add(key.window.end + this.graceMs, key);
  }

  process(record: StreamRecord<Windowed<K>, Change<V>>): void {
    const key = record.key;
    this.store.put(key, record.value.newValue);
    this.due.add(key.window.end + this.graceMs, key);
    for (const { key: k } of this.due.popDue(this.context.currentStreamTimeMs())) {
      const value = this.store.get(k);
      if (value === undefined) continue;
      this.store.delete(k);
      this.context.forward({
        key: k,
        value: { newValue: value, oldValue: null },
        timestamp: k.window.end - 1,
        headers: {},
      });
    }
  }
}
