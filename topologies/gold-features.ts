import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { featureRecord, type CustomerFeatureRecord } from './logic/features/feature-record.ts';
import { applyInteraction, mergeFeatures, type CustomerFeatures, type InteractionEvent } from './logic/features/interaction-scores.ts';
import { clickstreamUserOf, type InputEvent } from './logic/silver/input-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Gold ML features per customer, in real time: the customer × product interaction matrix
 * (configurable weights, view 1, cart 3, purchase 5, with exponential time decay) and the
 * category affinity (logic/features). Views and carts come from the clickstream; purchases
 * come from the order lines, which carry the product's category, so the affinity is over
 * purchased categories. The state is a keyed store (`gold-customer-features`) that the
 * HTTP query API reads; every update also goes to the compacted feature topic.
 *
 * The key is the customer id. Clicks carry a clickstream user id, which is not always the
 * customer id (on the simulator's Avro path users and customers are numbered apart), so
 * events first meet per clickstream user (a click's userId, an order's `clickstreamUserOf`)
 * in `gold-features-identity`, which learns from orders which customer a user is:
 * - an order counts for its customer and links its clickstream user to that customer;
 * - a click of a linked user counts for the customer of the user's latest order;
 * - a click of a user no order has linked yet counts for the user id itself (a visitor, or
 *   a customer whose clicks carry the customer id); when a first order then links the user
 *   to another customer id, the visitor's features are handed over to that customer (added
 *   to its cells) and the visitor's record is deleted (a tombstone), so a customer's
 *   features hold the clicks that led to the first order too, in whatever order they came.
 * A user later linked to another customer moves its new clicks only.
 *
 * Retention (event time): a visitor identity (a user no order has linked yet, with its
 * features) whose latest interaction is more than `featureVisitorTtlMs` (default 30 days)
 * behind the greatest event time this task has seen is deleted, for every user, by a sweep
 * each `FEATURE_SWEEP_MS` (1 h) of that time; without it the store grows with every visitor
 * who never orders. The clock is the task's own greatest event time although silver reaches
 * the task in any interleaving of its partitions: the TTL is 30 days, against partitions
 * that run apart by far less, and the gate admits nothing more than 48 h behind its stream
 * time. What it changes:
 * - the sweep also forwards the expiry under the user id, through the same path as the
 *   hand-over; if the aggregate of that key still holds only the visitor's clicks (`visitor`
 *   on the state: no order named the key as its customer, no linked user's click and no
 *   hand-over went to it), the entry is deleted from `gold-customer-features` and a
 *   tombstone goes to the compacted feature topic (the upsert lake table deletes the row;
 *   the query API answers 404, as for an unknown key); a customer's aggregate is kept as it is
 *   (the expiry writes it again: its record is published again, unchanged);
 * - a visitor quiet for longer than the TTL who then orders hands nothing over (its clicks
 *   would count at most 2^(−30 / 7) < 5.1 % of their weight at the order time, with the
 *   7-day half-life); a click after the TTL starts a new visitor identity, and a new record
 *   from nothing when the old one was deleted.
 * Nothing within the TTL changes. Linked identities (one per user who ordered, bounded by
 * the customers) and customers' aggregates are never pruned: a later click must still find
 * its customer. Records stored before `visitor` existed count as customers'. When a user id
 * is also a customer id whose first order names another clickstream user, the expiry and
 * that order reach the aggregate from different tasks: the one that comes first decides
 * whether the old clicks are deleted or stay in the customer's record.
 */
export interface FeatureState {
  readonly features: CustomerFeatures;
  /** Greatest event time of the customer's interactions: the time the scores are read at. */
  readonly asOf: number;
  /** Set when these were a visitor's features, handed over to the customer an order linked it to. */
  readonly handedOverTo?: string;
  /** Set while the state holds only the clicks of the visitor identity of its key: the record the visitor's expiry deletes. */
  readonly visitor?: true;
}

/** Per clickstream user: the customer its latest order named, and its features while no order has. */
interface Identity {
  readonly customer: string | null;
  readonly visitor: FeatureState | null;
}

/** An event on its way to the identity store: an order names its customer, a click does not. */
interface Routed {
  readonly customerId: string | null;
  readonly interactions: readonly InteractionEvent[];
}

/** Features to add to a key (`visitor`: a visitor's click), a hand-over, or a visitor identity's expiry (`expired`). */
interface FeatureDelta extends FeatureState {
  readonly expired?: true;
}

export const FEATURE_STORE = 'gold-customer-features';
export const FEATURE_IDENTITY_STORE = 'gold-features-identity';
/** `max`: the greatest event time of the feature task, `swept`: that time at the last sweep (both written at each sweep). */
export const FEATURE_CLOCK_STORE = 'gold-features-clock';

/** Every this much of the task's greatest event time, the visitor identities past the TTL are deleted. */
export const FEATURE_SWEEP_MS = 3_600_000;

const EMPTY: FeatureState = { features: { products: {}, categories: {} }, asOf: Number.MIN_SAFE_INTEGER };
/** The aggregate of a key with no record yet: no customer's interaction in it. */
const NONE: FeatureState = { ...EMPTY, visitor: true };

/** A click with a product (not a purchase click: purchases come from the orders) as the identity store's input. */
function clickRouted(e: InputEvent): Routed[] {
  if (e.type !== 'click' || e.productId === null || e.eventType === 'purchase') return [];
  return [{ customerId: null, interactions: [{ customerId: e.userId, productId: e.productId, category: null, eventType: e.eventType, time: e.time }] }];
}

/** An order as the identity store's input, keyed by its clickstream user. */
function orderRouted(e: InputEvent): { key: string; value: Routed }[] {
  if (e.type !== 'order') return [];
  const interactions = e.lines.map((l) => ({ customerId: e.customerId, productId: l.productId, category: l.category, eventType: 'purchase', time: e.time }));
  return [{ key: clickstreamUserOf(e), value: { customerId: e.customerId, interactions } }];
}

const merged = (a: FeatureState, b: FeatureState, config: PipelineConfig): FeatureState => ({ features: mergeFeatures(a.features, b.features, config.features), asOf: Math.max(a.asOf, b.asOf) });

class FeatureOwnerProcessor implements Processor<string, Routed, string, FeatureDelta> {
  private context!: ProcessorContext<string, FeatureDelta>;
  private identities!: KeyValueStore<string, Identity>;
  private clock!: KeyValueStore<string, number>;
  /** The task's greatest event time (at least the stored one: after a restart the sweep may only come later). */
  private maxTime: number | undefined;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, FeatureDelta>): void {
    this.context = context;
    this.identities = context.getStateStore(FEATURE_IDENTITY_STORE);
    this.clock = context.getStateStore(FEATURE_CLOCK_STORE);
  }

  process(record: StreamRecord<string, Routed>): void | Promise<void> {
    const user = record.key;
    const { customerId, interactions } = record.value;
    const forward = (key: string, value: FeatureDelta) => this.context.forward({ key, value, timestamp: record.timestamp, headers: record.headers });
    const delta = interactions.reduce<FeatureState>((s, i) => ({ features: applyInteraction(s.features, i, this.config.features), asOf: Math.max(s.asOf, i.time) }), EMPTY);
    const identity = this.identities.get(user) ?? { customer: null, visitor: null };
    if (customerId !== null) {
      forward(customerId, delta);
      if (identity.customer === null && identity.visitor !== null && user !== customerId) {
        forward(customerId, identity.visitor);
        forward(user, { ...EMPTY, asOf: identity.visitor.asOf, handedOverTo: customerId });
      }
      this.identities.put(user, { customer: customerId, visitor: null });
    } else if (identity.customer !== null) {
      forward(identity.customer, delta);
    } else {
      forward(user, { ...delta, visitor: true });
      this.identities.put(user, { customer: null, visitor: identity.visitor === null ? delta : merged(identity.visitor, delta, this.config) });
    }
    if (delta.asOf !== EMPTY.asOf) return this.tick(delta.asOf, record.timestamp);
  }

  /** Advances the task's time; once per FEATURE_SWEEP_MS of it, sweeps (the clock is written only then). */
  private tick(time: number, timestamp: number): void | Promise<void> {
    const maxTime = Math.max(this.maxTime ?? this.clock.get('max') ?? time, time);
    this.maxTime = maxTime;
    const swept = this.clock.get('swept');
    if (swept !== undefined && maxTime - swept < FEATURE_SWEEP_MS) return;
    this.clock.put('max', maxTime);
    this.clock.put('swept', maxTime);
    if (swept !== undefined) return this.sweep(maxTime - this.config.featureVisitorTtlMs, timestamp);
  }

  /** Deletes every visitor identity whose latest interaction is before `bound`, and forwards its expiry under the user id. */
  private async sweep(bound: number, timestamp: number): Promise<void> {
    const stale: [string, number][] = [];
    for await (const { key, value } of this.identities.all()) if (value.customer === null && value.visitor !== null && value.visitor.asOf < bound) stale.push([key, value.visitor.asOf]);
    for (const [key, asOf] of stale) {
      this.identities.delete(key);
      this.context.forward({ key, value: { ...EMPTY, asOf, expired: true }, timestamp, headers: {} });
    }
  }
}

/**
 * A key's next aggregate: an expiry deletes it (null) while it holds only the visitor's
 * clicks, else leaves it; a hand-over replaces it; features are added (a handed-over record
 * starts again from nothing), and the sum stays `visitor` only if both sides were.
 */
function aggregated(d: FeatureDelta, s: FeatureState | null, config: PipelineConfig): FeatureState | null {
  if (d.expired === true) return s?.visitor === true ? null : s;
  if (d.handedOverTo !== undefined) return { features: d.features, asOf: d.asOf, handedOverTo: d.handedOverTo };
  const base = s === null || s.handedOverTo !== undefined ? NONE : s;
  const sum = merged(base, d, config);
  return base.visitor === true && d.visitor === true ? { ...sum, visitor: true } : sum;
}

export function featureRecordOf(customerId: string, state: FeatureState, config: PipelineConfig): CustomerFeatureRecord {
  return featureRecord(customerId, state.features, undefined, state.asOf, 10, config.features);
}

export function buildGoldFeatures(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FEATURE_IDENTITY_STORE), Serdes.String(), Serdes.Json<Identity>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FEATURE_CLOCK_STORE), Serdes.String(), Serdes.Json<number>()));
  // Silver is keyed by user for clicks (the gate's entityKey), so clicks meet their user's
  // identity as they are; only orders, keyed by customer, move to their clickstream user.
  // A user's orders and clicks then meet in any interleaving: an order comes back through
  // the repartition topic after the silver records that follow it (an order of another
  // customer id came through another silver partition before too). The hand-over allows for
  // it: a click before its user's first order counts as the visitor's and is handed over.
  // Only the visitor TTL can tell: a sweep due to a later click may expire a visitor before
  // its order arrives (see the retention notes above: its clicks would weigh < 5.1 %).
  const orders = silver.flatMap((_k, e) => orderRouted(e)).repartition({ name: 'features-by-user', keySerde: Serdes.String(), valueSerde: Serdes.Json<Routed>() });
  silver
    .flatMapValues((e) => clickRouted(e))
    .merge(orders)
    .process(() => new FeatureOwnerProcessor(config), { named: 'gold-feature-owner', stores: [FEATURE_IDENTITY_STORE, FEATURE_CLOCK_STORE] })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<FeatureDelta>(), name: 'gold-features' })
    .aggregate<FeatureState | null>(() => NONE, (_k, d, s) => aggregated(d, s, config), { store: FEATURE_STORE, keySerde: Serdes.String(), valueSerde: Serdes.Json<FeatureState | null>() })
    .toStream()
    .mapValues((s, customerId) => (s === null || s.handedOverTo !== undefined ? null : featureRecordOf(customerId, s, config)))
    .to(config.topics.features, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.features() });
}
