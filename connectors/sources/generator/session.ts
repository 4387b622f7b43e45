import type { ClickstreamEvent, SalesOrder } from '../../../schemas/generated/index.ts';
import { centsToDecimal, convertCents } from './money.ts';
import type { GenUser } from './population.ts';
import type { Prng } from './prng.ts';
import { CHANNELS, type GenCampaign, type GenProduct, type World } from './world.ts';

/** A record of the simulation at its true (undistorted) time. */
export type SimRecord =
  | { readonly kind: 'clickstream'; readonly time: number; readonly value: ClickstreamEvent }
  | { readonly kind: 'sales'; readonly time: number; readonly value: SalesOrder };

/**
 * One session's funnel: an optional search, product views (Zipf popularity, often staying
 * in the category just viewed), add-to-cart and remove-from-cart, then checkout and
 * purchase with drop-off at each step. The channel (and its campaign, with UTM fields)
 * shifts the conversion odds. A purchase emits one purchase event per cart line (as in
 * REES46) and one SalesOrder; some orders are cancelled a few hours later.
 */
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
  /** Registers a guest as a customer; returns the customer id. */
  register(user: GenUser): number;
}

export function simulateSession(ctx: SessionContext, user: GenUser, start: number): SimRecord[] {
  const { prng, world, funnel } = ctx;
  const ids = { next: (k: string) => ctx.nextId(k) };
  const [channel, , boost] = prng.weighted(CHANNELS.map((c) => [c, c[1]] as const));
  const campaigns = world.campaignsByChannel.get(channel);
  const campaign: GenCampaign | null = campaigns ? prng.pick(campaigns) : null;
  const session = prng.uuid();
  const out: SimRecord[] = [];
  let t = start;
  let page: string | null = null;
  const event = (type: ClickstreamEvent['event_type'], p: GenProduct | null, extra: Partial<ClickstreamEvent> = {}): void => {
    const url = p ? `https://shop.streamhouse.example/p/${p.productId}` : 'https://shop.streamhouse.example/search';
    const value: ClickstreamEvent = {
      event_id: ids.next('c'), event_time: t, event_type: type,
      product_id: p?.productId ?? null, category_id: p?.categoryId ?? null, category_code: p?.categoryCode ?? null,
      brand: p?.brand ?? null, price: p ? centsToDecimal(convertCents(p.priceUsdCents, user.currency)) : null,
      currency: user.currency, user_id: user.userId, user_session: session, search_query: null, order_id: null,
      device_type: user.device, device_os: user.os, country: user.country, page_url: url,
      referrer: page ?? REFERRER[channel] ?? null, channel, campaign_id: campaign?.campaignId ?? null,
      utm_source: campaign?.utmSource ?? null, utm_medium: campaign?.utmMedium ?? null,
      utm_campaign: campaign?.utmCampaign ?? null, utm_content: campaign ? `ad-${1 + prng.int(4)}` : null,
      utm_term: campaign?.channel === 'paid_search' && p ? p.categoryCode.split('.').pop() ?? null : null,
      source: 'generator', ...extra,
    };
    out.push({ kind: 'clickstream', time: t, value });
    page = url;
    t += 2_000 + Math.round(prng.exp(25_000));
  };

  let current = world.products[world.popularity.sample(prng)] as GenProduct;
  if (prng.chance(0.2)) event('search', null, { search_query: current.categoryCode.split('.').pop()!.replace(/_/g, ' ') });
  const views = 1 + Math.min(24, Math.floor(prng.exp(2.5)));
  const cart: GenProduct[] = [];
  for (let v = 0; v < views; v++) {
    if (v > 0) current = nextProduct(prng, world, current);
    event('view', current);
    if (prng.chance(funnel.cart * boost) && !cart.includes(current)) {
      event('cart', current);
      cart.push(current);
      if (cart.length > 1 && prng.chance(funnel.removeFromCart)) event('remove_from_cart', cart.shift()!);
    }
  }
  if (cart.length === 0 || !prng.chance(funnel.checkout)) return out;
  const orderId = `o-${ids.next('o')}`;
  event('checkout', null, { order_id: orderId, page_url: 'https://shop.streamhouse.example/checkout' });
  if (!prng.chance(Math.min(0.95, funnel.purchase * boost))) return out;
  const lines = cart.map((p, i) => ({
    line_number: i + 1, product_id: p.productId, description: p.name, category_code: p.categoryCode,
    quantity: prng.chance(0.8) ? 1 : prng.range(2, 4), unit_price: centsToDecimal(convertCents(p.priceUsdCents, user.currency)),
    seller_id: p.sellerId,
  }));
  const customerId = prng.chance(0.85) ? user.customerId ?? ctx.register(user) : user.customerId;
  user.orders++;
  for (const p of cart) event('purchase', p, { order_id: orderId });
  const order: SalesOrder = {
    event_id: ids.next('s'), order_id: orderId, event_time: t, status: 'PLACED', cancels_order_id: null,
    customer_id: customerId, user_session: session, country: user.country, currency: user.currency, channel,
    campaign_id: campaign?.campaignId ?? null, lines, source: 'generator',
  };
  out.push({ kind: 'sales', time: t, value: order });
  if (prng.chance(funnel.cancel)) {
    const at = t + 600_000 + Math.round(prng.exp(3 * 3_600_000));
    const cancel: SalesOrder = {
      ...order, event_id: ids.next('s'), order_id: `${orderId}-c`, event_time: at, status: 'CANCELLED', cancels_order_id: orderId,
      lines: lines.map((l) => ({ ...l, quantity: -l.quantity })),
    };
    out.push({ kind: 'sales', time: at, value: cancel });
  }
  return out;
}

const REFERRER: Record<string, string> = {
  organic_search: 'https://www.google.com/', social: 'https://www.facebook.com/', paid_search: 'https://www.google.com/',
  affiliate: 'https://partner.example/', display: 'https://news.example/', email: 'https://mail.example/',
};

function nextProduct(prng: Prng, world: World, current: GenProduct): GenProduct {
  if (prng.chance(0.55)) {
    const same = world.byCategory.get(current.categoryCode) ?? [];
    const idx = same[Math.floor(Math.pow(prng.float(), 2) * same.length)];
    if (idx !== undefined) return world.products[idx] as GenProduct;
  }
  return world.products[world.popularity.sample(prng)] as GenProduct;
}
