import type { CampaignSpend, ClickstreamEvent, CustomerProfile, OrderLine, Product, SalesOrder } from '../../../schemas/generated/index.ts';
import { centsToDecimal, convertCents } from './money.ts';
import type { GenUser } from './population.ts';
import type { Prng } from './prng.ts';
import { CHANNELS, type GenCampaign, type GenProduct, type World } from './world.ts';

/** A record of the simulation at its true (undistorted) time. */
export type SimRecord =
  | { readonly kind: 'clickstream'; readonly time: number; readonly value: ClickstreamEvent }
  | { readonly kind: 'sales'; readonly time: number; readonly value: SalesOrder }
  | { readonly kind: 'customers'; readonly time: number; readonly value: CustomerProfile }
  | { readonly kind: 'campaigns'; readonly time: number; readonly value: CampaignSpend }
  | { readonly kind: 'products'; readonly time: number; readonly value: Product };

/** The kinds of record the simulation makes. */
export type SimKind = SimRecord['kind'];

export interface FunnelRates {
  cart: number;
  removeFromCart: number;
  checkout: number;
  purchase: number;
  cancel: number;
}

export const DEFAULT_FUNNEL: FunnelRates = { cart: 0.05, removeFromCart: 0.15, checkout: 0.45, purchase: 0.65, cancel: 0.04 };

/** What a session draws on: randomness, the world, id allocation and registration. */
export interface SessionContext {
  readonly prng: Prng;
  readonly world: World;
  readonly funnel: FunnelRates;
  /** A new deterministic id; `kind` is c (click), o (order) or s (sales event). */
  nextId(kind: string): string;
  /** Makes the user a customer (if not yet one) at `at`; returns the customer id and the records it makes. */
  register(user: GenUser, at: number): { customerId: number; records: SimRecord[] };
  /** A profile change of a customer at `at`, or none. */
  profileChange(user: GenUser, at: number): SimRecord | null;
  /** Counts a session bought by a campaign. */
  campaignSession(campaignId: string, at: number): void;
}

const SITE = 'https://shop.streamhouse.example';
const REFERRER: Record<string, string> = {
  organic_search: 'https://www.google.com/', social: 'https://www.facebook.com/', paid_search: 'https://www.google.com/',
  affiliate: 'https://partner.example/', display: 'https://news.example/', email: 'https://mail.example/',
};
const AD_CONTENT = ['ad-1', 'ad-2', 'ad-3', 'ad-4'];
const CHANNEL_WEIGHTS = CHANNELS.map((c) => [c, c[1]] as const);

/**
 * One session's funnel: an optional search, product views (Zipf popularity, often staying
 * in the category just viewed), add-to-cart and remove-from-cart, then checkout and
 * purchase with drop-off at each step. The channel (and its campaign, with UTM fields)
 * shifts the conversion odds. A purchase emits one purchase event per cart line (as in
 * REES46) and one SalesOrder, which names the user (`user_id`) beside its customer id (users
 * and customers are numbered apart); some orders are cancelled a few hours later. The records
 * come out in time order.
 */
export class SessionSimulator {
  /** Per product: page URL, last category segment; per product x currency: price text. */
  private readonly urls: string[];
  private readonly terms: string[];
  private readonly prices = new Map<string, string[]>();

  constructor(private readonly ctx: SessionContext) {
    this.urls = ctx.world.products.map((p) => `${SITE}/p/${p.productId}`);
    this.terms = ctx.world.products.map((p) => p.categoryCode.slice(p.categoryCode.lastIndexOf('.') + 1));
  }

  simulate(user: GenUser, start: number): SimRecord[] {
    const { prng, world, funnel } = this.ctx;
    const [channel, , boost] = prng.weighted(CHANNEL_WEIGHTS);
    const campaigns = world.campaignsByChannel.get(channel);
    const campaign: GenCampaign | null = campaigns ? prng.pick(campaigns) : null;
    const s: Draft = { user, session: prng.uuid(), channel, campaign, t: start, page: REFERRER[channel] ?? null, out: [] };
    if (campaign) this.ctx.campaignSession(campaign.campaignId, start);
    const change = user.customerSince <= start ? this.ctx.profileChange(user, start) : null;
    if (change) s.out.push(change);
    let current = world.popularity.sample(prng);
    if (prng.chance(0.2)) this.event(s, 'search', -1, null, this.terms[current]!.replace(/_/g, ' '));
    const views = 1 + Math.min(24, Math.floor(prng.exp(2.5)));
    const cart: number[] = [];
    for (let v = 0; v < views; v++) {
      if (v > 0) current = this.nextProduct(current);
      this.event(s, 'view', current, null, null);
      if (prng.chance(funnel.cart * boost) && !cart.includes(current)) {
        this.event(s, 'cart', current, null, null);
        cart.push(current);
        if (cart.length > 1 && prng.chance(funnel.removeFromCart)) this.event(s, 'remove_from_cart', cart.shift()!, null, null);
      }
    }
    if (cart.length === 0 || !prng.chance(funnel.checkout)) return s.out;
    const orderId = `o-${this.ctx.nextId('o')}`;
    this.event(s, 'checkout', -1, orderId, null);
    if (!prng.chance(Math.min(0.95, funnel.purchase * boost))) return s.out;
    const lines: OrderLine[] = cart.map((i, n) => {
      const p = world.products[i]!;
      return { line_number: n + 1, product_id: p.productId, description: p.name, category_code: p.categoryCode, quantity: prng.chance(0.8) ? 1 : prng.range(2, 4), unit_price: this.price(i, user.currency), seller_id: p.sellerId };
    });
    // A customer id is only used once the profile exists on this timeline.
    let customerId = user.customerSince <= s.t ? user.customerId : null;
    if (user.customerId === null && prng.chance(0.85)) {
      const signup = this.ctx.register(user, s.t);
      customerId = signup.customerId;
      s.out.push(...signup.records);
    }
    user.orders++;
    for (const i of cart) this.event(s, 'purchase', i, orderId, null);
    const order: SalesOrder = {
      event_id: this.ctx.nextId('s'), order_id: orderId, event_time: s.t, status: 'PLACED', cancels_order_id: null,
      customer_id: customerId, user_id: user.userId, user_session: s.session, country: user.country, currency: user.currency, channel,
      campaign_id: campaign?.campaignId ?? null, lines, source: 'generator',
    };
    s.out.push({ kind: 'sales', time: s.t, value: order });
    if (prng.chance(funnel.cancel)) {
      const at = s.t + 600_000 + Math.round(prng.exp(3 * 3_600_000));
      const cancel: SalesOrder = {
        ...order, event_id: this.ctx.nextId('s'), order_id: `${orderId}-c`, event_time: at, status: 'CANCELLED', cancels_order_id: orderId,
        lines: lines.map((l) => ({ ...l, quantity: -l.quantity })),
      };
      s.out.push({ kind: 'sales', time: at, value: cancel });
    }
    return s.out;
  }

  /** Appends one clickstream event at the draft's time and moves the time on. `product` -1: none. */
  private event(s: Draft, type: ClickstreamEvent['event_type'], product: number, orderId: string | null, query: string | null): void {
    const { prng, world } = this.ctx;
    const p: GenProduct | undefined = product >= 0 ? world.products[product] : undefined;
    const url = p ? this.urls[product]! : type === 'checkout' ? `${SITE}/checkout` : `${SITE}/search`;
    const c = s.campaign;
    const value: ClickstreamEvent = {
      event_id: this.ctx.nextId('c'), event_time: s.t, event_type: type,
      product_id: p ? p.productId : null, category_id: p ? p.categoryId : null, category_code: p ? p.categoryCode : null,
      brand: p ? p.brand : null, price: p ? this.price(product, s.user.currency) : null,
      currency: s.user.currency, user_id: s.user.userId, user_session: s.session, search_query: query, order_id: orderId,
      device_type: s.user.device, device_os: s.user.os, country: s.user.country, page_url: url, referrer: s.page,
      channel: s.channel, campaign_id: c ? c.campaignId : null, utm_source: c ? c.utmSource : null, utm_medium: c ? c.utmMedium : null,
      utm_campaign: c ? c.utmCampaign : null, utm_content: c ? AD_CONTENT[prng.int(4)]! : null,
      utm_term: c && c.channel === 'paid_search' && p ? this.terms[product]! : null, source: 'generator',
    };
    s.out.push({ kind: 'clickstream', time: s.t, value });
    s.page = url;
    s.t += 2_000 + Math.round(prng.exp(25_000));
  }

  private price(product: number, currency: string): string {
    let list = this.prices.get(currency);
    if (!list) this.prices.set(currency, (list = []));
    return (list[product] ??= centsToDecimal(convertCents(this.ctx.world.products[product]!.priceUsdCents, currency)));
  }

  private nextProduct(current: number): number {
    const { prng, world } = this.ctx;
    if (prng.chance(0.55)) {
      const same = world.byCategory.get(world.products[current]!.categoryCode) ?? [];
      const idx = same[Math.floor(Math.pow(prng.float(), 2) * same.length)];
      if (idx !== undefined) return idx;
    }
    return world.popularity.sample(prng);
  }
}

interface Draft {
  readonly user: GenUser;
  readonly session: string;
  readonly channel: string;
  readonly campaign: GenCampaign | null;
  t: number;
  page: string | null;
  readonly out: SimRecord[];
}
