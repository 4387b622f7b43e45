import { Serdes, type KStream, type StreamsBuilder } from '../runtime/index.ts';
import { featureRecord, type CustomerFeatureRecord } from './logic/features/feature-record.ts';
import { applyInteraction, type CustomerFeatures, type InteractionEvent } from './logic/features/interaction-scores.ts';
import type { InputEvent } from './logic/silver/input-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Gold ML features per customer, in real time: the customer × product interaction matrix
 * (configurable weights, view 1, cart 3, purchase 5, with exponential time decay) and the
 * category affinity (logic/features). Views and carts come from the clickstream; purchases
 * come from the order lines, which carry the product's category, so the affinity is over
 * purchased categories. The state is a keyed store (`gold-customer-features`) that the
 * HTTP query API reads; every update also goes to the compacted feature topic.
 */
export interface FeatureState {
  readonly features: CustomerFeatures;
  /** Greatest event time of the customer's interactions: the time the scores are read at. */
  readonly asOf: number;
}

export const FEATURE_STORE = 'gold-customer-features';

function interactions(e: InputEvent): InteractionEvent[] {
  if (e.type === 'click' && e.productId !== null && e.eventType !== 'purchase') return [{ customerId: e.userId, productId: e.productId, category: null, eventType: e.eventType, time: e.time }];
  if (e.type === 'order') return e.lines.map((l) => ({ customerId: e.customerId, productId: l.productId, category: l.category, eventType: 'purchase', time: e.time }));
  return [];
}

export function featureRecordOf(customerId: string, state: FeatureState, config: PipelineConfig): CustomerFeatureRecord {
  return featureRecord(customerId, state.features, undefined, state.asOf, 10, config.features);
}

export function buildGoldFeatures(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): void {
  silver
    .flatMap((_k, e) => interactions(e).map((i) => ({ key: i.customerId, value: i })))
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<InteractionEvent>(), name: 'gold-features' })
    .aggregate<FeatureState>(
      () => ({ features: { products: {}, categories: {} }, asOf: Number.MIN_SAFE_INTEGER }),
      (_k, i, s) => ({ features: applyInteraction(s.features, i, config.features), asOf: Math.max(s.asOf, i.time) }),
      { store: FEATURE_STORE, keySerde: Serdes.String(), valueSerde: Serdes.Json<FeatureState>() },
    )
    .toStream()
    .mapValues((s, customerId) => featureRecordOf(customerId, s, config))
    .to(config.topics.features, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.features() });
}
