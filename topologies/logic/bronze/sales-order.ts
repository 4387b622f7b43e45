import type { OrderLine as AvroLine, SalesOrder } from '../../../schemas/generated/index.ts';
import { add, decimal, formatDecimal, multiplyInt, zero } from '../money/decimal.ts';
import type { CancellationEvent, OrderEvent, OrderLine } from '../silver/input-event.ts';
import { bridged, DEFAULT_CHANNEL, MONEY_SCALE, refuse, UNKNOWN, type BridgeMapping } from './bridge-mapping.ts';
import { decimalText } from './decimal-bytes.ts';

/** A SalesOrder as the Avro reader yields it: money fields are bytes unless a decimal logical type is registered. */
export type WireSalesOrder = Omit<SalesOrder, 'lines'> & { readonly lines: readonly (Omit<AvroLine, 'unit_price'> & { readonly unit_price: Buffer | string })[] };

/**
 * A SalesOrder event on the pipeline contract (logic/silver/input-event.ts), by status:
 * - PLACED: an order. Lines keep quantity and unit price; a line without category is
 *   'unknown', an order without channel 'direct', without country 'unknown'.
 * - CANCELLED and RETURNED: a cancellation of `cancels_order_id` (the order itself when
 *   unknown) whose amount is Σ |quantity| × unit price of the event's lines. A return gives
 *   money back exactly as a cancellation does, and the pipeline's cancellations already
 *   reduce the customer's revenue by an amount, not by the whole order, so a (partial)
 *   return is a cancellation of the returned amount.
 * - ADJUSTMENT (bookkeeping, e.g. UCI "Adjust bad debt" invoices: no customer, no goods)
 *   and UNKNOWN (a status added after this reader): no contract; refused with the reason.
 * A guest order (customer_id null) belongs to the customer `guest:<order id>`: a one-off
 * customer, so that its revenue counts without merging every guest into one customer.
 * An order's `user_id` (the clickstream user who placed it; null from sources without a
 * clickstream, and in records written before the field existed) becomes its `userId` in
 * decimal text, the id its clicks carry, so attribution and features link them.
 */
export function mapSalesOrder(o: WireSalesOrder): BridgeMapping {
  switch (o.status) {
    case 'PLACED':
      return bridged('events', o.event_id, placed(o));
    case 'CANCELLED':
    case 'RETURNED':
      return bridged('events', o.event_id, cancellation(o));
    default:
      return refuse('NO_CONTRACT', `a ${o.status} sales order has no pipeline contract (orders are PLACED, CANCELLED or RETURNED)`);
  }
}

const customerOf = (o: WireSalesOrder, orderId: string): string => (o.customer_id === null ? `guest:${orderId}` : String(o.customer_id));

function placed(o: WireSalesOrder): OrderEvent {
  const lines: OrderLine[] = o.lines.map((l) => ({ productId: l.product_id, category: l.category_code ?? UNKNOWN, quantity: l.quantity, unitPrice: decimalText(l.unit_price, MONEY_SCALE) }));
  const order: OrderEvent = { type: 'order', eventId: o.event_id, time: o.event_time, orderId: o.order_id, customerId: customerOf(o, o.order_id), channel: o.channel ?? DEFAULT_CHANNEL, country: o.country ?? UNKNOWN, currency: o.currency, lines };
  return o.user_id === null || o.user_id === undefined ? order : { ...order, userId: String(o.user_id) };
}

function cancellation(o: WireSalesOrder): CancellationEvent {
  const orderId = o.cancels_order_id ?? o.order_id;
  const amount = o.lines.reduce((sum, l) => add(sum, multiplyInt(decimal(decimalText(l.unit_price, MONEY_SCALE)), Math.abs(l.quantity))), zero(MONEY_SCALE));
  return { type: 'cancellation', eventId: o.event_id, time: o.event_time, orderId, customerId: customerOf(o, orderId), currency: o.currency, amount: formatDecimal(amount) };
}
