import type { OracleEvent } from './oracle-input.ts';

/**
 * The ML features recomputed in batch (the contract of topologies/logic/README.md, "ML
 * features", implemented again from the text), one row per key of the feature topic:
 * - interactions are the kept clicks on a product that are not purchases (their clickstream
 *   user's) and the lines of kept orders (purchases, their customer's, with the category);
 * - a clickstream user whose clicks an order names (its userId, else its customer) belongs
 *   to that order's customer, so its clicks count for the customer; a user no order names
 *   keeps its clicks under its own id (a visitor);
 * - per key, the time the scores are read at is the latest event time of its interactions;
 *   a product's score is Σ weight · 2^(−(asOf − t) / half-life) over its interactions (view
 *   1, cart 3, purchase 5, other types 0); the category affinity is each purchased
 *   category's decayed weight over their sum.
 * These are floats (ML features, not money): a comparison allows rounding differences.
 * A user named by orders of two different customers is outside what this oracle models
 * (the topology then moves only the user's later clicks): it throws.
 */
export interface OracleFeatureRow {
  readonly customerId: string;
  readonly asOf: number;
  readonly scores: Readonly<Record<string, number>>;
  readonly affinity: Readonly<Record<string, number>>;
}

const WEIGHT: Readonly<Record<string, number>> = { view: 1, cart: 3, purchase: 5 };
const WEEK = 7 * 24 * 60 * 60 * 1000;

interface Touch {
  readonly product: string;
  readonly category: string | null;
  readonly type: string;
  readonly t: number;
}

export function oracleFeatures(kept: readonly OracleEvent[], halfLifeMs = WEEK): OracleFeatureRow[] {
  const owner = new Map<string, string>();
  for (const e of kept) {
    if (e.kind !== 'order') continue;
    const known = owner.get(e.clicker);
    if (known !== undefined && known !== e.customer) throw new Error(`oracle: user ${e.clicker} is named by orders of ${known} and ${e.customer}`);
    owner.set(e.clicker, e.customer);
  }
  const byKey = new Map<string, Touch[]>();
  const add = (key: string, touch: Touch) => byKey.set(key, [...(byKey.get(key) ?? []), touch]);
  for (const e of kept) {
    if (e.kind === 'click' && e.product !== null && e.type !== 'purchase') add(owner.get(e.user) ?? e.user, { product: e.product, category: null, type: e.type, t: e.t });
    if (e.kind === 'order') for (const l of e.lines) add(e.customer, { product: l.product, category: l.category, type: 'purchase', t: e.t });
  }
  const rows: OracleFeatureRow[] = [];
  for (const [customerId, touches] of byKey) {
    const asOf = Math.max(...touches.map((x) => x.t));
    const scores: Record<string, number> = {};
    const categories: Record<string, number> = {};
    for (const x of touches) {
      const w = WEIGHT[x.type] ?? 0;
      if (w === 0) continue;
      const decayed = w * 2 ** (-(asOf - x.t) / halfLifeMs);
      scores[x.product] = (scores[x.product] ?? 0) + decayed;
      if (x.category !== null) categories[x.category] = (categories[x.category] ?? 0) + decayed;
    }
    const total = Object.values(categories).reduce((a, b) => a + b, 0);
    const affinity = Object.fromEntries(Object.entries(categories).map(([c, v]) => [c, total === 0 ? 0 : v / total]));
    rows.push({ customerId, asOf, scores, affinity });
  }
  return rows.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}
