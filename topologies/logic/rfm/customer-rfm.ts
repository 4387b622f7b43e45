import { add, subtract, zero, type Decimal } from '../money/decimal.ts';

/**
 * Per-customer RFM state and its reducer, for a continuous RFM aggregate keyed by customer.
 *
 * - A `purchase` is one order or one line of an order (several events may carry the same
 *   order id). It sets the last purchase time to the latest seen, adds its order id to the
 *   distinct orders and adds its amount to monetary.
 * - A `cancellation` subtracts its (positive) amount from monetary: monetary is revenue net
 *   of cancellations. It changes neither recency nor frequency.
 *
 * The reducer is commutative and idempotent per order id for frequency, so any arrival
 * order of the same events gives the same state.
 */
export interface RfmEvent {
  readonly kind: 'purchase' | 'cancellation';
  readonly customerId: string;
  readonly orderId: string;
  /** Event time, epoch milliseconds. */
  readonly time: number;
  /** Amount in the base currency; a cancellation's amount is the positive sum refunded. */
  readonly amount: Decimal;
}

export interface CustomerRfm {
  readonly customerId: string;
  /** Epoch ms of the latest purchase, or null while the customer has only cancellations. */
  readonly lastPurchase: number | null;
  /** Distinct purchase order ids, sorted. */
  readonly orderIds: readonly string[];
  readonly monetary: Decimal;
}

export function emptyCustomerRfm(customerId: string): CustomerRfm {
  return { customerId, lastPurchase: null, orderIds: [], monetary: zero(2) };
}

function withOrder(orderIds: readonly string[], orderId: string): readonly string[] {
  let lo = 0;
  let hi = orderIds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (orderIds[mid]! < orderId) lo = mid + 1;
    else hi = mid;
  }
  if (orderIds[lo] === orderId) return orderIds;
  return [...orderIds.slice(0, lo), orderId, ...orderIds.slice(lo)];
}

export function applyRfmEvent(state: CustomerRfm | undefined, event: RfmEvent): CustomerRfm {
  const current = state ?? emptyCustomerRfm(event.customerId);
  if (event.kind === 'cancellation') return { ...current, monetary: subtract(current.monetary, event.amount) };
  return {
    customerId: current.customerId,
    lastPurchase: current.lastPurchase === null ? event.time : Math.max(current.lastPurchase, event.time),
    orderIds: withOrder(current.orderIds, event.orderId),
    monetary: add(current.monetary, event.amount),
  };
}
