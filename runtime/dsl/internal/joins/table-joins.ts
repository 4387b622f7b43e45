import type { JoinType } from '../../joined.ts';
import { KTable } from '../../ktable.ts';
import type { Materialized } from '../../options.ts';
import { keyValueStoreFor } from '../materialize.ts';
import { TableTableJoinProcessor } from '../processors/table-table-join-processor.ts';
import { TableTransformProcessor } from '../processors/table-processors.ts';
import { storeValueGetter, type ValueGetterSupplier } from '../value-getter.ts';
import { foreignKeyJoin } from './foreign-key-join.ts';
import { joinValues } from './join-values.ts';

/**
 * KTable.join / leftJoin / outerJoin: one join processor per side, each reading the
 * other side's current rows through its value getter (so both tables' stores are in
 * one task: the tables must be co-partitioned), merged into one result node. Without a
 * Materialized the result is computed on the fly for lookups; with one it is stored.
 */
export function tableTableJoin<K, L, R, VR>(
  left: KTable<K, L>,
  right: KTable<K, R>,
  type: JoinType,
  joiner: (left: L | null, right: R | null, key: K) => VR,
  materialized: Materialized<K, VR> | undefined,
  named: string | undefined,
): KTable<K, VR> {
  const builder = left.builder;
  const base = builder.name(named, 'KTABLE-JOIN-');
  const leftName = `${base}-left`;
  const rightName = `${base}-right`;
  builder.topology.addProcessor(
    leftName,
    () => new TableTableJoinProcessor<K, L, R, VR>(right.valueGetter, type, joiner, true),
    left.node,
  );
  builder.connectStores(leftName, right.valueGetter.storeNames);
  builder.topology.addProcessor(
    rightName,
    () => new TableTableJoinProcessor<K, L, R, VR>(left.valueGetter, type, joiner, false),
    right.node,
  );
  builder.connectStores(rightName, left.valueGetter.storeNames);
  const merge = builder.passThrough(`${base}-merge`, leftName, rightName);
  const getter = joinedValueGetter(left.valueGetter, right.valueGetter, type, joiner);
  if (materialized === undefined) return new KTable<K, VR>(builder, merge, left.keySerde, undefined, getter, undefined);
  const storeName = materialized.store ?? builder.newStoreName('KTABLE-JOIN-');
  const name = builder.newName('KTABLE-MATERIALIZE-');
  builder.topology.addProcessor(name, () => new TableTransformProcessor<K, VR, VR>((_k, v) => v, storeName), merge);
  const keySerde = materialized.keySerde ?? left.keySerde;
  builder.topology.addStateStore(keyValueStoreFor(storeName, materialized, keySerde, materialized.valueSerde), name);
  return new KTable<K, VR>(builder, name, keySerde, materialized.valueSerde, storeValueGetter(storeName), storeName);
}

function joinedValueGetter<K, L, R, VR>(
  left: ValueGetterSupplier<K, L>,
  right: ValueGetterSupplier<K, R>,
  type: JoinType,
  joiner: (left: L | null, right: R | null, key: K) => VR,
): ValueGetterSupplier<K, VR> {
  return {
    storeNames: [...left.storeNames, ...right.storeNames],
    get: () => {
      const l = left.get();
      const r = right.get();
      return {
        init: (context) => {
          l.init(context);
          r.init(context);
        },
        get: (key) => joinValues<L, R, VR>(type, l.get(key), r.get(key), (a, b) => joiner(a, b, key)),
      };
    },
  };
}

/** @internal KTable.join / leftJoin / outerJoin: key join, or foreign-key join when a third function is given. */
export function joinTable<K, V>(
  table: KTable<K, V>,
  type: JoinType,
  otherTable: unknown,
  a: unknown,
  b: unknown,
  c: unknown,
  d: unknown,
): KTable<K, unknown> {
  type F = (...args: never[]) => unknown;
  const other = otherTable as KTable<unknown, unknown>;
  if (typeof b === 'function') {
    if (type === 'outer') throw new TypeError('a foreign-key join is inner or left');
    return foreignKeyJoin(
      table,
      other,
      a as F as never,
      b as F as never,
      type === 'left',
      c as Materialized<K, unknown> | undefined,
      d as string | undefined,
    );
  }
  return tableTableJoin(
    table,
    other as KTable<K, unknown>,
    type,
    a as F as never,
    b as Materialized<K, unknown> | undefined,
    c as string | undefined,
  );
}
