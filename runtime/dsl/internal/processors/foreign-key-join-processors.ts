import { NullKeyError } from '../../../errors/runtime-errors.ts';
import type { ProcessorContext } from '../../../processor/processor.ts';
import type { StreamRecord } from '../../../processor/record.ts';
import type { SubscriptionStore } from '../../../state/subscription-store.ts';
import { keyId } from '../../../windows/internal/due-index.ts';
import type { Change } from '../change.ts';
import { rowHash, type Subscription, type SubscriptionResponse } from '../joins/fk-wire.ts';
import type { ValueGetter, ValueGetterSupplier } from '../value-getter.ts';
import { ForwardingProcessor } from './forwarding-processor.ts';

/* The four processors of a foreign-key table join (as Kafka Streams' KIP-213 design):
 *
 *   left row change ──SubscriptionSender──▶ <base>-subscription-registration (by foreign key)
 *        ──SubscriptionReceiver (stores it; answers with the right row)──▶ <base>-subscription-response (by left key)
 *   right row change ──RightChangeNotifier (answers every subscriber)──▶ <base>-subscription-response
 *        ──ResponseJoiner (joins with the current left row if the hash still matches)──▶ result
 */

export interface ForeignKeyJoinNodes {
  readonly subscriptionSink: string;
  readonly responseSink: string;
  readonly result: string;
}

/** On the left table: (un)subscribes its rows to their foreign keys; deletes and rows without foreign key are answered at once. */
export class SubscriptionSender<KL, VL, KO, VJ> extends ForwardingProcessor<KL, Change<VL>, unknown, unknown> {
  constructor(
    private readonly nodes: ForeignKeyJoinNodes,
    private readonly foreignKey: (value: VL) => KO,
    private readonly joiner: (value: VL, other: null) => VJ,
    private readonly left: boolean,
  ) {
    super();
  }

  process(record: StreamRecord<KL, Change<VL>>): void {
    const { key, timestamp, headers } = record;
    if (key === null || key === undefined) throw new NullKeyError('foreign-key join: a left row without a key');
    const { newValue, oldValue } = record.value;
    const newFk = newValue === null ? null : (this.foreignKey(newValue) ?? null);
    const oldFk = oldValue === null ? null : (this.foreignKey(oldValue) ?? null);
    if (oldFk !== null && (newFk === null || keyId(oldFk) !== keyId(newFk))) {
      const unsubscribe: Subscription<KL> = { subscribe: false, hash: 0, leftKey: key };
      this.context.forward({ key: oldFk, value: unsubscribe, timestamp, headers }, this.nodes.subscriptionSink);
    }
    if (newValue !== null && newFk !== null) {
      const subscribe: Subscription<KL> = { subscribe: true, hash: rowHash(newValue), leftKey: key };
      this.context.forward({ key: newFk, value: subscribe, timestamp, headers }, this.nodes.subscriptionSink);
      return;
    }
    const joined = newValue !== null && this.left ? this.joiner(newValue, null) : null;
    this.context.forward({ key, value: { newValue: joined, oldValue: null }, timestamp, headers }, this.nodes.result);
  }
}

/** On the right side: records a subscription and answers it with the current right row. */
export class SubscriptionReceiver<KO, KL, VR> extends ForwardingProcessor<
  KO,
  Subscription<KL>,
  KL,
  SubscriptionResponse<VR>
> {
  private store!: SubscriptionStore<KO, KL>;
  private right!: ValueGetter<KO, VR>;

  constructor(
    private readonly storeName: string,
    private readonly rightGetter: ValueGetterSupplier<KO, VR>,
  ) {
    super();
  }

  override init(context: ProcessorContext<KL, SubscriptionResponse<VR>>): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
    this.right = this.rightGetter.get();
    this.right.init(context as ProcessorContext<unknown, unknown>);
  }

  process(record: StreamRecord<KO, Subscription<KL>>): void {
    const s = record.value;
    if (!s.subscribe) {
      this.store.delete(record.key, s.leftKey);
      return;
    }
    this.store.put(record.key, s.leftKey, s.hash);
    this.context.forward({
      key: s.leftKey,
      value: { hash: s.hash, value: this.right.get(record.key) },
      timestamp: record.timestamp,
      headers: record.headers,
    });
  }
}

/** On the right table: a changed right row is sent to every left row subscribed to it. */
export class RightChangeNotifier<KO, KL, VR> extends ForwardingProcessor<KO, Change<VR>, KL, SubscriptionResponse<VR>> {
  private store!: SubscriptionStore<KO, KL>;

  constructor(private readonly storeName: string) {
    super();
  }

  override init(context: ProcessorContext<KL, SubscriptionResponse<VR>>): void {
    super.init(context);
    this.store = context.getStateStore(this.storeName);
  }

  async process(record: StreamRecord<KO, Change<VR>>): Promise<void> {
    for await (const s of this.store.subscribers(record.key)) {
      this.context.forward({
        key: s.leftKey,
        value: { hash: s.hash, value: record.value.newValue },
        timestamp: record.timestamp,
        headers: record.headers,
      });
    }
  }
}

/** On the left side: joins a response with the current left row, unless that row changed since (stale hash). */
export class ResponseJoiner<KL, VL, VR, VJ> extends ForwardingProcessor<KL, SubscriptionResponse<VR>, KL, Change<VJ>> {
  private leftRows!: ValueGetter<KL, VL>;

  constructor(
    private readonly leftGetter: ValueGetterSupplier<KL, VL>,
    private readonly joiner: (value: VL, other: VR | null) => VJ,
    private readonly left: boolean,
  ) {
    super();
  }

  override init(context: ProcessorContext<KL, Change<VJ>>): void {
    super.init(context);
    this.leftRows = this.leftGetter.get();
    this.leftRows.init(context as ProcessorContext<unknown, unknown>);
  }

  process(record: StreamRecord<KL, SubscriptionResponse<VR>>): void {
    const row = this.leftRows.get(record.key);
    if (row === null || rowHash(row) !== record.value.hash) return; // the left row changed since: its own response follows
    const right = record.value.value;
    const joined = right === null && !this.left ? null : this.joiner(row, right);
    this.context.forward({
      key: record.key,
      value: { newValue: joined, oldValue: null },
      timestamp: record.timestamp,
      headers: record.headers,
    });
  }
}
