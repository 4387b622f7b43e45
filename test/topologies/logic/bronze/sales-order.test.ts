import { describe, expect, it } from 'vitest';
import { mapSalesOrder, type WireSalesOrder } from '../../../../topologies/logic/bronze/sales-order.ts';

const cents = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n * 100); // scale 4: n cents = n * 100 units
  return b;
};
const line = (n: number, product: string, quantity: number, priceCents: number, category: string | null = 'toys') => ({
  line_number: n, product_id: product, description: null, category_code: category, quantity, unit_price: cents(priceCents), seller_id: null,
});
const order = (over: Partial<WireSalesOrder>): WireSalesOrder => ({
  event_id: 'e1', order_id: 'o1', event_time: 1_000, status: 'PLACED', cancels_order_id: null, customer_id: 42, user_id: null, user_session: null,
  country: 'DE', currency: 'EUR', channel: 'email', campaign_id: null, lines: [line(1, 'p1', 2, 1999)], source: 'generator', ...over,
});

describe('mapSalesOrder', () => {
  it('maps a PLACED order with its lines, prices as decimal text', () => {
    const m = mapSalesOrder(order({ lines: [line(1, 'p1', 2, 1999), line(2, 'p2', 1, 500, null)] }));
    expect(m).toEqual({
      ok: true, target: 'events', key: 'e1',
      value: {
        type: 'order', eventId: 'e1', time: 1_000, orderId: 'o1', customerId: '42', channel: 'email', country: 'DE', currency: 'EUR',
        lines: [{ productId: 'p1', category: 'toys', quantity: 2, unitPrice: '19.9900' }, { productId: 'p2', category: 'unknown', quantity: 1, unitPrice: '5.0000' }],
      },
    });
  });

  it('maps user_id (the clickstream user who placed the order) to userId in decimal text, and leaves it out when null', () => {
    const m = mapSalesOrder(order({ user_id: 512_000_123 }));
    expect(m.ok && m.value).toMatchObject({ type: 'order', customerId: '42', userId: '512000123' });
    const none = mapSalesOrder(order({}));
    expect(none.ok && 'userId' in (none.value as object)).toBe(false);
    // A record written before the field existed, as a reader without the default sees it.
    const { user_id: _dropped, ...old } = order({});
    expect(mapSalesOrder(old as WireSalesOrder)).toEqual(none);
  });

  it('gives defaults for a missing channel and country, and a per-order guest customer', () => {
    const m = mapSalesOrder(order({ channel: null, country: null, customer_id: null }));
    expect(m.ok && m.value).toMatchObject({ channel: 'direct', country: 'unknown', customerId: 'guest:o1' });
  });

  it('maps CANCELLED to a cancellation of the original order for Σ |quantity| × price', () => {
    const m = mapSalesOrder(order({ event_id: 'e2', order_id: 'o1-c', status: 'CANCELLED', cancels_order_id: 'o1', lines: [line(1, 'p1', -2, 1999), line(2, 'p2', -3, 250)] }));
    expect(m).toEqual({ ok: true, target: 'events', key: 'e2', value: { type: 'cancellation', eventId: 'e2', time: 1_000, orderId: 'o1', customerId: '42', currency: 'EUR', amount: '47.4800' } });
  });

  it('maps RETURNED to a cancellation of the returned amount; without cancels_order_id the order itself', () => {
    const m = mapSalesOrder(order({ status: 'RETURNED', customer_id: null, lines: [line(1, 'p1', -1, 1999)] }));
    expect(m.ok && m.value).toMatchObject({ type: 'cancellation', orderId: 'o1', customerId: 'guest:o1', amount: '19.9900' });
  });

  it('refuses ADJUSTMENT and UNKNOWN with the reason', () => {
    expect(mapSalesOrder(order({ status: 'ADJUSTMENT' }))).toEqual({ ok: false, code: 'NO_CONTRACT', reason: 'a ADJUSTMENT sales order has no pipeline contract (orders are PLACED, CANCELLED or RETURNED)' });
    expect(mapSalesOrder(order({ status: 'UNKNOWN' }))).toMatchObject({ ok: false, code: 'NO_CONTRACT' });
  });
});
