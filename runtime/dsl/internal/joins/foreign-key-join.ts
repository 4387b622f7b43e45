import type { Serde } from '../../../serde/serde.ts';
import { subscriptionStoreBuilder } from '../../../state/subscription-store.ts';
import { resolveSerde } from '../../../windows/internal/resolve-serde.ts';
import { KTable } from '../../ktable.ts';
import type { Materialized } from '../../options.ts';
import { DeferredSerde } from '../deferred-serde.ts';
import { keyValueStoreFor } from '../materialize.ts';
import {
  ResponseJoiner,
  RightChangeNotifier,
  SubscriptionReceiver,
  SubscriptionSender,
} from '../processors/foreign-key-join-processors.ts';
import { TableTransformProcessor } from '../processors/table-processors.ts';
import { storeValueGetter } from '../value-getter.ts';
import { ResponseSerde, SubscriptionSerde } from './fk-wire.ts';

/**
 * KTable.join(other, foreignKey, joiner): each left row joins the right row whose key
 * is `foreignKey(leftValue)`, whatever partition it lives on, through two repartition
 * topics (`<base>-subscription-registration-repartition` keyed by foreign key and
 * `<base>-subscription-response-repartition` keyed by left key) and a subscription
 * store on the right side (see foreign-key-join-processors.ts). The result is always
 * materialized (a store named by `materialized.store` or generated). The registration
 * topic is co-partitioned with the right table's input and the response topic with the
 * left one's (internal/partition-counts.ts), so the two sides may have different partition
 * counts, also when a side is read from a repartition topic (a table made by
 * `groupBy().aggregate()`).
 */
export function foreignKeyJoin<KL, VL, KO, VR, VJ>(
  left: KTable<KL, VL>,
  right: KTable<KO, VR>,
  foreignKey: (value: VL) => KO,
  joiner: (value: VL, other: VR | null) => VJ,
  leftJoin: boolean,
  materialized: Materialized<KL, VJ> | undefined,
  named: string | undefined,
): KTable<KL, VJ> {
  const builder = left.builder;
  const topology = builder.topology;
  const base = builder.name(named, 'KTABLE-FK-JOIN-');
  const leftKeySerde = left.keySerde;
  const subscriptionSerde = new DeferredSerde(
    (d) => new SubscriptionSerde(resolveSerde(leftKeySerde, d, 'key', `${base} subscriptions`)),
  );
  const responseSerde = new DeferredSerde(
    (d) => new ResponseSerde(resolveSerde(right.valueSerde, d, 'value', `${base} responses`)),
  );
  const sender = `${base}-subscribe`;
  const registration = `${base}-subscription-registration`;
  const response = `${base}-subscription-response`;
  const nodes = {
    subscriptionSink: `${registration}-repartition-sink`,
    responseSink: `${response}-repartition-sink`,
    result: `${base}-result`,
  };
  topology.addProcessor(
    sender,
    () => new SubscriptionSender<KL, VL, KO, VJ>(nodes, foreignKey, joiner, leftJoin),
    left.node,
  );
  const registrationSource = builder.repartition(
    sender,
    registration,
    true,
    right.keySerde as Serde<unknown> | undefined,
    subscriptionSerde,
  );
  const storeName = `${base}-subscription-store`;
  const receiver = `${base}-receive`;
  topology.addProcessor(
    receiver,
    () => new SubscriptionReceiver<KO, KL, VR>(storeName, right.valueGetter),
    registrationSource,
  );
  topology.addStateStore(subscriptionStoreBuilder(storeName, right.keySerde, leftKeySerde), receiver);
  builder.connectStores(receiver, right.valueGetter.storeNames);
  const notifier = `${base}-notify`;
  topology.addProcessor(notifier, () => new RightChangeNotifier<KO, KL, VR>(storeName), right.node);
  builder.connectStores(notifier, [storeName]);
  const responseSource = builder.repartition(
    receiver,
    response,
    true,
    leftKeySerde as Serde<unknown> | undefined,
    responseSerde,
  );
  topology.addSink(
    `${base}-notify-sink`,
    `${response}-repartition`,
    { keySerde: leftKeySerde, valueSerde: responseSerde },
    notifier,
  );
  const joinerNode = `${base}-join`;
  topology.addProcessor(
    joinerNode,
    () => new ResponseJoiner<KL, VL, VR, VJ>(left.valueGetter, joiner, leftJoin),
    responseSource,
  );
  builder.connectStores(joinerNode, left.valueGetter.storeNames);
  builder.passThrough(nodes.result, sender, joinerNode);
  const m = materialized ?? {};
  const resultStore = m.store ?? builder.newStoreName('KTABLE-FK-JOIN-');
  const name = `${base}-materialize`;
  topology.addProcessor(name, () => new TableTransformProcessor<KL, VJ, VJ>((_k, v) => v, resultStore), nodes.result);
  const keySerde = m.keySerde ?? leftKeySerde;
  topology.addStateStore(keyValueStoreFor(resultStore, m, keySerde, m.valueSerde), name);
  return new KTable<KL, VJ>(builder, name, keySerde, m.valueSerde, storeValueGetter(resultStore), resultStore);
}
