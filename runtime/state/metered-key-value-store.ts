import { performance } from 'node:perf_hooks';
import { asBatchRestorable, restoreOne, type BatchRestorable, type RestoreRecord } from './batch-restore.ts';
import { forwardOnCacheFlush, writeDownCache, type CachedForwarding, type TypedFlushListener } from './cached-forwarding.ts';
import type { KeyValueIteratorEntry, KeyValueStore, StateStoreContext } from './state-store.ts';

export type StoreOperation = 'get' | 'put' | 'putIfAbsent' | 'delete' | 'range' | 'flush';

/**
 * What the metered layer reports; the metrics module maps it onto prom-client
 * (for example a `streamhouse_state_store_operation_seconds` histogram and a
 * `streamhouse_state_store_restored_records_total` counter). Calls are synchronous and
 * on the hot path: keep them cheap.
 */
export interface StoreMetrics {
  /** One call per operation with its latency; for `range` (and `all`), the whole scan. */
  onOperation(store: string, taskId: string, operation: StoreOperation, seconds: number): void;
  /** Records applied by one restore batch (or 1 per `restore`). */
  onRestore?(store: string, taskId: string, records: number): void;
}

export interface MeteredOptions {
  /** Monotonic milliseconds for latencies (a latency timer, not event time). Default `performance.now`. */
  timer?: () => number;
}

/**
 * The outermost layer: times every operation and reports it to `StoreMetrics`. It
 * changes nothing else; without a metrics sink the store builder leaves it out.
 */
export class MeteredKeyValueStore<K, V> implements KeyValueStore<K, V>, BatchRestorable, CachedForwarding<K, V> {
  private taskId = '';
  private readonly timer: () => number;

  constructor(
    private readonly inner: KeyValueStore<K, V>,
    private readonly metrics: StoreMetrics,
    options: MeteredOptions = {},
  ) {
    this.timer = options.timer ?? (() => performance.now());
  }

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  async init(context: StateStoreContext): Promise<void> {
    this.taskId = context.taskId;
    await this.inner.init(context);
  }

  get(key: K): V | undefined {
    const start = this.timer();
    try {
      return this.inner.get(key);
    } finally {
      this.report('get', start);
    }
  }

  put(key: K, value: V): void {
    const start = this.timer();
    try {
      this.inner.put(key, value);
    } finally {
      this.report('put', start);
    }
  }

  putIfAbsent(key: K, value: V): V | undefined {
    const start = this.timer();
    try {
      return this.inner.putIfAbsent(key, value);
    } finally {
      this.report('putIfAbsent', start);
    }
  }

  delete(key: K): V | undefined {
    const start = this.timer();
    try {
      return this.inner.delete(key);
    } finally {
      this.report('delete', start);
    }
  }

  range(from?: K, to?: K): AsyncIterable<KeyValueIteratorEntry<K, V>> {
    return this.timed(this.timer(), this.inner.range(from, to));
  }

  all(): AsyncIterable<KeyValueIteratorEntry<K, V>> {
    return this.timed(this.timer(), this.inner.all());
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  async flush(): Promise<void> {
    const start = this.timer();
    try {
      await this.inner.flush();
    } finally {
      this.report('flush', start);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setFlushListener(listener: TypedFlushListener<K, V> | undefined): boolean {
    return forwardOnCacheFlush(this.inner, listener);
  }

  writeDown(): void {
    writeDownCache(this.inner);
  }

  restore(key: Buffer, value: Buffer | null): void {
    restoreOne(this.inner, key, value);
    this.metrics.onRestore?.(this.name, this.taskId, 1);
  }

  beginRestore(): void {
    asBatchRestorable(this.inner).beginRestore();
  }

  async restoreBatch(records: readonly RestoreRecord[]): Promise<void> {
    await asBatchRestorable(this.inner).restoreBatch(records);
    this.metrics.onRestore?.(this.name, this.taskId, records.length);
  }

  endRestore(): Promise<void> {
    return asBatchRestorable(this.inner).endRestore();
  }

  private report(operation: StoreOperation, start: number): void {
    this.metrics.onOperation(this.name, this.taskId, operation, (this.timer() - start) / 1000);
  }

  private async *timed(start: number, entries: AsyncIterable<KeyValueIteratorEntry<K, V>>): AsyncGenerator<KeyValueIteratorEntry<K, V>> {
    try {
      yield* entries;
    } finally {
      this.report('range', start);
    }
  }
}
