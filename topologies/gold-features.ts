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

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, FeatureDelta>): void {
    this.context = context;
    this.identities = context.getStateStore(FEATURE_IDENTITY_STORE);
  }

  process(record: StreamRecord<string, Routed>): void {
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
  }
}

export function featureRecordOf(customerId: string, state: FeatureState, config: PipelineConfig): CustomerFeatureRecord {
  return featureRecord(customerId, state.features, undefined, state.asOf, 10, config.features);
}

export function buildGoldFeatures(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FEATURE_IDENTITY_STORE), Serdes.String(), Serdes.Json<Identity>()));
  silver
    .flatMap((_k, e) => routed(e))
    .repartition({ name: 'features-by-user', keySerde: Serdes.String(), valueSerde: Serdes.Json<Routed>() })
    .process(() => new FeatureOwnerProcessor(config), { named: 'gold-feature-owner', stores: [FEATURE_IDENTITY_STORE] })
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
