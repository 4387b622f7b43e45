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
