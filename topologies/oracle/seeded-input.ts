/**
 * A seeded input data set for the gold acceptance harness: orders, cancellations, clicks
 * and campaign spend over a few days, in an arrival order with out-of-order, late (more
 * than 48 h behind), duplicate (re-sent, same event id) and malformed events mixed in.
 * The same seed always gives the same list. Plain data only: it feeds the platform's
 * producers and the oracle alike. Customer `u<n>` also browses as clickstream user `w<n>`
 * (a visitor id that is not the customer id, as on the simulator's Avro path): about a
 * third of its clicks carry `w<n>`, and about a third of its orders carry `userId: 'w<n>'`,
 * so those orders link to the `w<n>` clicks only (others have no userId or a null one).
 */
export interface SeededInputOptions {
  readonly seed: number;
  readonly events: number;
  /** Event time of the first event, epoch ms. */
  readonly start: number;
  readonly customers?: number;
}

const CHANNELS = ['email', 'search', 'social', 'direct'];
const CAMPAIGNS = ['spring', 'brand', 'retarget'];
const CATEGORIES = ['toys', 'books', 'garden', 'kitchen'];
const COUNTRIES = ['DE', 'FR', 'GB'];
const CURRENCIES = ['EUR', 'USD', 'GBP'];
const CLICK_TYPES = ['view', 'view', 'view', 'cart', 'purchase'];
export const SEEDED_RATES = { base: 'EUR', rates: { USD: '0.9137', GBP: '1.1745' } };

export function seededInput(options: SeededInputOptions): Record<string, unknown>[] {
  let state = options.seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const customers = options.customers ?? 12;
  const out: Record<string, unknown>[] = [];
  const orders: Record<string, unknown>[] = [];
  let clock = options.start;
  for (let i = 0; i < options.events; i++) {
    clock += int(20 * 60_000);
    const roll = next();
    const lag = roll < 0.05 ? 49 * 3_600_000 + int(24 * 3_600_000) : roll < 0.25 ? int(40 * 3_600_000) : int(60_000);
    const time = clock - lag;
    const n = 1 + int(customers);
    const customer = `u${n}`;
    const visitor = next() < 0.33;
    const kind = next();
    let event: Record<string, unknown>;
    if (kind < 0.5) {
      event = { type: 'click', eventId: `k${i}`, userId: visitor ? `w${n}` : customer, time, eventType: pick(CLICK_TYPES), channel: pick(CHANNELS), campaign: next() < 0.4 ? pick(CAMPAIGNS) : null, page: `/p${int(5)}`, productId: next() < 0.8 ? `p${int(9)}` : null };
    } else if (kind < 0.8 || orders.length === 0) {
      const lines = Array.from({ length: 1 + int(3) }, () => ({ productId: `p${int(9)}`, category: pick(CATEGORIES), quantity: 1 + int(4), unitPrice: `${1 + int(60)}.${String(int(100)).padStart(2, '0')}` }));
      event = { type: 'order', eventId: `o${i}`, orderId: `ord${i}`, customerId: customer, time, channel: pick(CHANNELS), country: pick(COUNTRIES), currency: pick(CURRENCIES), lines };
      if (visitor) event.userId = `w${n}`;
      else if (next() < 0.2) event.userId = null;
      orders.push(event);
    } else if (kind < 0.9) {
      const o = pick(orders);
      event = { type: 'cancellation', eventId: `x${i}`, orderId: o.orderId, customerId: o.customerId, time, currency: o.currency, amount: `${1 + int(20)}.${String(int(100)).padStart(2, '0')}` };
    } else {
      event = { type: 'spend', eventId: `s${i}`, campaign: pick(CAMPAIGNS), channel: pick(CHANNELS), time, currency: pick(CURRENCIES), amount: `${int(200)}.${String(int(100)).padStart(2, '0')}` };
    }
    const fault = next();
    if (fault < 0.04) event = corrupt(event, int(7));
    out.push(event);
    if (fault > 0.95 && out.length > 1) out.push({ ...out[int(out.length)]! }); // a re-sent event
  }
  return out;
}

function corrupt(event: Record<string, unknown>, how: number): Record<string, unknown> {
  switch (how) {
    case 0:
      return { ...event, eventId: '' };
    case 1:
      return { ...event, time: 'yesterday' };
    case 2:
      return { ...event, currency: 'XXX', channel: event.type === 'click' ? '' : event.channel };
    case 3:
      return { ...event, type: 'refund' };
    case 4:
      return event.type === 'order' ? { ...event, lines: [{ productId: 'p1', category: 'toys', quantity: 0, unitPrice: '1.00' }] } : { ...event, amount: '-3.00', userId: null };
    case 5:
      return event.type === 'order' ? { ...event, lines: [{ productId: 'p1', category: 'toys', quantity: 1, unitPrice: '1,50' }] } : { ...event, amount: 'free', page: '' };
    default:
      return event.type === 'order' ? { ...event, userId: '' } : { ...event, time: event.time as number + 0.5 };
  }
}
