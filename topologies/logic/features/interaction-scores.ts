import { addDecayed, decayedValueAt, mergeDecayed, type DecayedScore } from './decayed-score.ts';

/**
 * Customer × product interaction scores for the recommender: every clickstream event adds
 * its type's weight (view 1, cart 3, purchase 5 by default; other types 0) to the
 * (customer, product) cell, and the cell decays exponentially with a half-life (7 days by
 * default). The same cells, summed per product category, give the category affinity.
 */
export interface InteractionEvent {
  readonly customerId: string;
  readonly productId: string;
  readonly category: string | null;
  readonly eventType: string;
  readonly time: number;
}

export interface FeatureConfig {
  /** Weight of each event type; types not listed weigh nothing. */
  readonly weights: Readonly<Record<string, number>>;
  readonly halfLifeMs: number;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = { weights: { view: 1, cart: 3, purchase: 5 }, halfLifeMs: 7 * 86_400_000 };

export function eventWeight(config: FeatureConfig, eventType: string): number {
  return Object.hasOwn(config.weights, eventType) ? config.weights[eventType]! : 0;
}

/** One customer's feature state: decayed scores per product and per category. */
export interface CustomerFeatures {
  readonly products: Readonly<Record<string, DecayedScore>>;
  readonly categories: Readonly<Record<string, DecayedScore>>;
}

export function applyInteraction(state: CustomerFeatures | undefined, event: InteractionEvent, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): CustomerFeatures {
  const current = state ?? { products: {}, categories: {} };
  const weight = eventWeight(config, event.eventType);
  if (weight === 0) return current;
  const products = { ...current.products, [event.productId]: addDecayed(current.products[event.productId], weight, event.time, config.halfLifeMs) };
  if (event.category === null) return { products, categories: current.categories };
  const categories = { ...current.categories, [event.category]: addDecayed(current.categories[event.category], weight, event.time, config.halfLifeMs) };
  return { products, categories };
}

/**
 * Two feature states as one: every cell is the sum of both (as if all their interactions
 * had been applied to one state). Used when a visitor's interactions are handed over to the
 * customer an order links it to.
 */
export function mergeFeatures(a: CustomerFeatures, b: CustomerFeatures, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): CustomerFeatures {
  const merge = (x: Readonly<Record<string, DecayedScore>>, y: Readonly<Record<string, DecayedScore>>) => {
    const out: Record<string, DecayedScore> = { ...x };
    for (const [k, s] of Object.entries(y)) out[k] = mergeDecayed(out[k], s, config.halfLifeMs);
    return out;
  };
  return { products: merge(a.products, b.products), categories: merge(a.categories, b.categories) };
}

export function interactionScores(state: CustomerFeatures, time: number, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): Record<string, number> {
  return Object.fromEntries(Object.entries(state.products).map(([product, s]) => [product, decayedValueAt(s, time, config.halfLifeMs)]));
}

/** Each category's share of the customer's decayed interest (shares add up to 1). */
export function categoryAffinity(state: CustomerFeatures, time: number, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): Record<string, number> {
  const values = Object.entries(state.categories).map(([category, s]) => [category, decayedValueAt(s, time, config.halfLifeMs)] as const);
  const total = values.reduce((a, [, v]) => a + v, 0);
  return Object.fromEntries(values.map(([category, v]) => [category, total === 0 ? 0 : v / total]));
}
