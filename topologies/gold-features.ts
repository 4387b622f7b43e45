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
 * time. What it changes: a visitor quiet for longer than the TTL who then orders no longer
 * hands its earlier features over (they would count at most 2^(−30 / 7) < 5.1 % of their
 * weight at the order time, with the 7-day half-life), and its own record under the user id
 * stays instead of a tombstone; a click after the TTL starts a new visitor identity (its
 * record under the user id is unchanged: the per-key aggregate still holds the older
 * clicks). Nothing within the TTL changes. Linked identities (one per user who ordered,
 * bounded by the customers) are kept: a later click must still find its customer.
 */
export interface FeatureState {
  readonly features: CustomerFeatures;
  /** Greatest event time of the customer's interactions: the time the scores are read at. */
  readonly asOf: number;
  /** Set when these were a visitor's features, handed over to the customer an order linked it to. */
  readonly handedOverTo?: string;
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

type FeatureDelta = FeatureState;

export const FEATURE_STORE = 'gold-customer-features';
export const FEATURE_IDENTITY_STORE = 'gold-features-identity';
/** `max`: the greatest event time of the feature task, `swept`: that time at the last sweep (both written at each sweep). */
export const FEATURE_CLOCK_STORE = 'gold-features-clock';

/** Every this much of the task's greatest event time, the visitor identities past the TTL are deleted. */
export const FEATURE_SWEEP_MS = 3_600_000;

const EMPTY: FeatureState = { features: { products: {}, categories: {} }, asOf: Number.MIN_SAFE_INTEGER };

function routed(e: InputEvent): { key: string; value: Routed }[] {
  if (e.type === 'click' && e.productId !== null && e.eventType !== 'purchase') {
    return [{ key: e.userId, value: { customerId: null, interactions: [{ customerId: e.userId, productId: e.productId, category: null, eventType: e.eventType, time: e.time }] } }];
  }
  if (e.type === 'order') {
    const interactions = e.lines.map((l) => ({ customerId: e.customerId, productId: l.productId, category: l.category, eventType: 'purchase', time: e.time }));
    return [{ key: clickstreamUserOf(e), value: { customerId: e.customerId, interactions } }];
  }
  return [];
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
      forward(user, delta);
      this.identities.put(user, { customer: null, visitor: identity.visitor === null ? delta : merged(identity.visitor, delta, this.config) });
    }
    if (delta.asOf !== EMPTY.asOf) return this.tick(delta.asOf);
  }

  /** Advances the task's time; once per FEATURE_SWEEP_MS of it, sweeps (the clock is written only then). */
  private tick(time: number): void | Promise<void> {
    const maxTime = Math.max(this.maxTime ?? this.clock.get('max') ?? time, time);
    this.maxTime = maxTime;
    const swept = this.clock.get('swept');
    if (swept !== undefined && maxTime - swept < FEATURE_SWEEP_MS) return;
    this.clock.put('max', maxTime);
    this.clock.put('swept', maxTime);
    if (swept !== undefined) return this.sweep(maxTime - this.config.featureVisitorTtlMs);
  }

  /** Deletes every visitor identity whose latest interaction is before `bound`. */
  private async sweep(bound: number): Promise<void> {
    const stale: string[] = [];
    for await (const { key, value } of this.identities.all()) if (value.customer === null && value.visitor !== null && value.visitor.asOf < bound) stale.push(key);
    for (const key of stale) this.identities.delete(key);
  }
}

export function featureRecordOf(customerId: string, state: FeatureState, config: PipelineConfig): CustomerFeatureRecord {
  return featureRecord(customerId, state.features, undefined, state.asOf, 10, config.features);
}

export function buildGoldFeatures(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FEATURE_IDENTITY_STORE), Serdes.String(), Serdes.Json<Identity>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FEATURE_CLOCK_STORE), Serdes.String(), Serdes.Json<number>()));
  silver
    .flatMap((_k, e) => routed(e))
    .repartition({ name: 'features-by-user', keySerde: Serdes.String(), valueSerde: Serdes.Json<Routed>() })
    .process(() => new FeatureOwnerProcessor(config), { named: 'gold-feature-owner', stores: [FEATURE_IDENTITY_STORE, FEATURE_CLOCK_STORE] })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<FeatureDelta>(), name: 'gold-features' })
    .aggregate<FeatureState>(
      () => EMPTY,
      (_k, d, s) => (d.handedOverTo !== undefined ? d : merged(s.handedOverTo !== undefined ? EMPTY : s, d, config)),
      { store: FEATURE_STORE, keySerde: Serdes.String(), valueSerde: Serdes.Json<FeatureState>() },
    )
    .toStream()
    .mapValues((s, customerId) => (s.handedOverTo !== undefined ? null : featureRecordOf(customerId, s, config)))
    .to(config.topics.features, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.features() });
}
