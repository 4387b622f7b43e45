import { TopologyError } from '../../errors/runtime-errors.ts';
import type { Windowed } from '../../windows/window.ts';
import { KTable } from '../ktable.ts';
import type { Suppressed } from '../suppressed.ts';
import { SuppressProcessor } from './processors/suppress-processor.ts';

/**
 * Grace of the tables produced by windowed aggregations, by table object: what
 * `suppress(untilWindowCloses)` needs to know when a window closes. Tables that are not
 * here are not windowed.
 */
const windowGrace = new WeakMap<object, number>();

/** Records that `table` is windowed and its windows close `closeAfterEndMs` after their end. */
export function markWindowed<T extends object>(table: T, closeAfterEndMs: number): T {
  windowGrace.set(table, closeAfterEndMs);
  return table;
}

/**
 * KTable.suppress: buffers the latest value per (key, window) in a changelogged store
 * and forwards it once the window closes (see SuppressProcessor). The result is again
 * a windowed table with the same grace.
 */
export function suppressTable<K, V>(table: KTable<K, V>, suppressed: Suppressed): KTable<K, V> {
  const grace = windowGrace.get(table);
  if (grace === undefined)
    throw new TopologyError(
      'suppress(untilWindowCloses) needs a windowed table (the result of a windowed aggregation)',
    );
  const builder = table.builder;
  const name = builder.name(suppressed.name, 'KTABLE-SUPPRESS-');
  const storeName =
    suppressed.name === undefined ? builder.newStoreName('KTABLE-SUPPRESS-') : `${suppressed.name}-store`;
  const keySerde = table.keySerde as unknown as Parameters<typeof SuppressProcessor.storeBuilder>[1];
  builder.topology.addProcessor(name, () => new SuppressProcessor<unknown, V>(storeName, grace), table.node);
  builder.topology.addStateStore(SuppressProcessor.storeBuilder(storeName, keySerde, table.valueSerde), name);
  const result = new KTable<K, V>(builder, name, table.keySerde, table.valueSerde, table.valueGetter, table.storeName);
  return markWindowed(result, grace);
}

export type { Windowed };
