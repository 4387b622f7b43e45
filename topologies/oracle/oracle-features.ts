import type { OracleEvent } from './oracle-input.ts';

/**
 * The ML features recomputed in batch (the contract of topologies/logic/README.md, "ML
 * features" and "State retention", implemented again from the text), one row per key of
 * the feature topic, from the kept events in arrival order:
 * - interactions are the kept clicks on a product that are not purchases (their clickstream
 *   user's) and the lines of kept orders (purchases, their customer's, with the category);
 * - an order links its clickstream user (its userId, else its customer) to its customer;
 *   a linked user's clicks count for that customer; a user no order has linked keeps its
 *   clicks under its own id (a visitor), and its first order hands the clicks of its current
 *   visit over to the customer (they leave the user's own row);
 * - visitor TTL: the clock is the greatest time of the interactions seen; the first starts
 *   it, and after each one that moves it 1 h or more past the last sweep, every visitor whose
 *   latest click is more than `visitorTtlMs` behind it expires: its visit is over (nothing
 *   to hand over any more) and its row is dropped unless an order, a linked user's click or
 *   a hand-over counted for the same key before (a customer's row is never dropped);
 * - per key, the time the scores are read at is the latest event time of its interactions;
 *   a product's score is Σ weight · 2^(−(asOf − t) / half-life) over its interactions (view
 *   1, cart 3, purchase 5, other types 0); the category affinity is each purchased
 *   category's decayed weight over their sum.
 * These are floats (ML features, not money): a comparison allows rounding differences.
 * Outside what this oracle models: a user named by orders of two different customers (the
 * topology then moves only the user's later clicks: it throws), a user id that is another
 * customer's id, and the visitor TTL when an order and a sweep race: orders reach the feature
 * task through a repartition topic, after the silver records that follow them (clicks come
 * straight from silver), so a sweep due to a later click may expire the visitor an order
 * would have linked (its clicks then stay with the user: at most 2^(−30 / 7) < 5.1 % of
 * their weight at the order time); and with several feature tasks each has its own clock.
 */
export interface OracleFeatureRow {
  readonly customerId: string;
  readonly asOf: number;
  readonly scores: Readonly<Record<string, number>>;
  readonly affinity: Readonly<Record<string, number>>;
}

const WEIGHT: Readonly<Record<string, number>> = { view: 1, cart: 3, purchase: 5 };
const WEEK = 7 * 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

interface Touch {
  readonly product: string;
  readonly category: string | null;
  readonly type: string;
  readonly t: number;
}

export function oracleFeatures(kept: readonly OracleEvent[], halfLifeMs = WEEK, visitorTtlMs = 30 * 24 * HOUR): OracleFeatureRow[] {
  const byKey = new Map<string, Touch[]>();
  const owner = new Map<string, string>();
  /** Per user no order has linked: the clicks of its current visit. */
  const visits = new Map<string, Touch[]>();
  /** Keys an order, a linked user's click or a hand-over counted for. */
  const customers = new Set<string>();
  const add = (key: string, touches: readonly Touch[], customer: boolean) => {
    byKey.set(key, [...(byKey.get(key) ?? []), ...touches]);
    if (customer) customers.add(key);
  };
  let clock: { max: number; swept: number } | null = null;
  for (const e of kept) {
    if (e.kind === 'click' && e.product !== null && e.type !== 'purchase') {
      const touch = { product: e.product, category: null, type: e.type, t: e.t };
      const customer = owner.get(e.user);
      if (customer !== undefined) add(customer, [touch], true);
      else {
        add(e.user, [touch], false);
        visits.set(e.user, [...(visits.get(e.user) ?? []), touch]);
      }
    } else if (e.kind === 'order') {
      const known = owner.get(e.clicker);
      if (known !== undefined && known !== e.customer) throw new Error(`oracle: user ${e.clicker} is named by orders of ${known} and ${e.customer}`);
      owner.set(e.clicker, e.customer);
      add(e.customer, e.lines.map((l) => ({ product: l.product, category: l.category, type: 'purchase', t: e.t })), true);
      const visit = visits.get(e.clicker) ?? [];
      visits.delete(e.clicker);
      if (e.clicker !== e.customer && visit.length > 0) {
        add(e.customer, visit, true);
        const rest = (byKey.get(e.clicker) ?? []).filter((x) => !visit.includes(x));
        if (rest.length === 0) byKey.delete(e.clicker);
        else byKey.set(e.clicker, rest);
      }
    } else continue;
    if (clock === null) clock = { max: e.t, swept: e.t };
    clock.max = Math.max(clock.max, e.t);
    if (clock.max - clock.swept < HOUR) continue;
    clock.swept = clock.max;
    for (const [user, visit] of visits) {
      if (Math.max(...visit.map((x) => x.t)) >= clock.max - visitorTtlMs) continue;
      visits.delete(user);
      if (!customers.has(user)) byKey.delete(user);
    }
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
