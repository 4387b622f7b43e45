import type { CustomerVersion } from './customer-dimension.ts';
import { versionAsOf } from './dimension-changes.ts';

/**
 * Re-joining orders when the customer dimension changes under them.
 *
 * The temporal join gives an order the customer version valid at its event time. A
 * back-dated change can later alter that version (a new version starts before the order,
 * the attributes at a change point are replaced, versions are renumbered), so the orders
 * joined within a horizon are kept with the version each was joined to. After every change
 * that altered the dimension, each kept order is looked up again; one whose version
 * differs (surrogate key, version number or attribute hash) is re-emitted with
 * `revision + 1`. A change that alters nothing re-emits nothing, so replays are idempotent.
 *
 * The horizon counts back from the stream time of the orders (the greatest order event
 * time seen): an order is kept while `time ≥ streamTime − horizon` (exactly the horizon
 * is still inside, as the 48 h lateness of the silver gate). Older orders are forgotten
 * and are never re-joined.
 */
export type JoinedCustomer = Pick<CustomerVersion, 'surrogateKey' | 'version' | 'attributeHash' | 'attributes'>;

/** An order kept for re-joining; `O` is the order as the topology published it. */
export interface KeptOrder<O> {
  readonly order: O;
  readonly orderTime: number;
  /** Timestamp of the first published record; corrections reuse it. */
  readonly timestamp: number;
  /** 0 for the first join, +1 for each correction. */
  readonly revision: number;
  readonly customer: JoinedCustomer | null;
}

/** The version valid at `time` (effective_from ≤ time < effective_to), or null. */
export function joinCustomer(versions: readonly CustomerVersion[], time: number): JoinedCustomer | null {
  const v = versionAsOf(versions, time);
  return v === undefined ? null : { surrogateKey: v.surrogateKey, version: v.version, attributeHash: v.attributeHash, attributes: v.attributes };
}

export function sameCustomer(a: JoinedCustomer | null, b: JoinedCustomer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.surrogateKey === b.surrogateKey && a.version === b.version && a.attributeHash === b.attributeHash;
}

/** The corrected order when the version valid at its time changed; undefined when it did not. */
export function rejoin<O>(kept: KeptOrder<O>, versions: readonly CustomerVersion[]): KeptOrder<O> | undefined {
  const customer = joinCustomer(versions, kept.orderTime);
  return sameCustomer(kept.customer, customer) ? undefined : { ...kept, customer, revision: kept.revision + 1 };
}

export function withinHorizon(orderTime: number, streamTime: number, horizonMs: number): boolean {
  return orderTime >= streamTime - horizonMs;
}

/**
 * Store keys of kept orders: the JSON array `["<customer id>","<order id>"]`. A JSON
 * string cannot contain an unescaped quote, so `["<customer id>",` is a prefix of that
 * customer's keys only, and every key of the customer continues with `"` (0x22): the
 * inclusive byte range from the prefix to the prefix + `#` (0x23) holds exactly them.
 */
export function keptOrderKey(customerId: string, orderId: string): string {
  return JSON.stringify([customerId, orderId]);
}

export function keptOrderRange(customerId: string): { readonly from: string; readonly to: string } {
  const prefix = `${JSON.stringify([customerId]).slice(0, -1)},`;
  return { from: prefix, to: `${prefix}#` };
}
