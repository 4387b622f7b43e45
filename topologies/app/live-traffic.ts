import { seededInput } from '../oracle/seeded-input.ts';

/**
 * Live traffic for `npm start`: batches of the seeded generator's events (orders,
 * cancellations, clicks, spend, with its share of late, duplicate and malformed events),
 * with ids made unique per producer and batch, and event times moved to the present: a generated offset
 * of one minute becomes one second, so out-of-order events stay out of order.
 */
export function liveBatch(producer: string, batch: number, events: number, now: number): Record<string, unknown>[] {
  const start = now;
  return seededInput({ seed: batch + 1, events, start, customers: 500 }).map((e) => {
    const out: Record<string, unknown> = { ...e };
    for (const field of ['eventId', 'orderId']) if (typeof out[field] === 'string' && out[field] !== '') out[field] = `${producer}-${batch}-${out[field] as string}`;
    if (typeof out.time === 'number') out.time = start + Math.round((out.time - start) / 60);
    return out;
  });
}

const CITIES = ['Berlin', 'Paris', 'London', 'Madrid', 'Rome'];

/** One customer profile change per batch (SCD2 input), now and then back-dated by up to a day. */
export function liveCustomerChange(batch: number, now: number): { customerId: string; effectiveFrom: number; attributes: Record<string, string>; sequence: number } {
  const n = (batch * 7919) % 500;
  const backDated = batch % 10 === 0 ? ((batch * 104_729) % 86_400) * 1000 : 0;
  return { customerId: `u${1 + n}`, effectiveFrom: now - backDated, attributes: { name: `customer ${1 + n}`, city: CITIES[(batch + n) % CITIES.length]!, segment: n % 3 === 0 ? 'b2b' : 'b2c' }, sequence: batch };
}

/** The product catalog of the live traffic (the generator's products p0..p8). */
export function liveCatalog(): { productId: string; name: string; category: string }[] {
  const categories = ['toys', 'books', 'garden', 'kitchen'];
  return Array.from({ length: 9 }, (_, i) => ({ productId: `p${i}`, name: `product ${i}`, category: categories[i % categories.length]! }));
}
