import type { CustomerProfile, Product } from '../../../schemas/generated/index.ts';
import type { CustomerChange } from '../scd2/customer-dimension.ts';
import type { Attributes } from '../scd2/attribute-hash.ts';
import { bridged, refuse, UNKNOWN, type BridgeMapping } from './bridge-mapping.ts';

/** A Product as the Avro reader yields it (price as bytes or text). */
export type WireProduct = Omit<Product, 'price'> & { readonly price: Buffer | string };

/**
 * A customer profile as a customer change (the SCD2 input), effective at `updated_at`
 * (back-dated changes stay back-dated). Attributes: name (full_name), email, city,
 * country, segment (loyalty_tier), marketing opt-in, and `deleted` when the profile says
 * the customer was deleted; missing ones are null. `sequence` orders changes of one
 * customer with the same time: the record's offset in its partition (the profiles topic
 * is keyed by customer, so one customer's changes share a partition).
 */
export function mapCustomerProfile(p: CustomerProfile, offset: number): BridgeMapping {
  const attributes: Attributes = {
    name: p.full_name, email: p.email, city: p.city, country: p.country, segment: p.loyalty_tier,
    marketingOptIn: p.marketing_opt_in, ...(p.deleted ? { deleted: true } : {}),
  };
  const change: CustomerChange = { customerId: String(p.customer_id), effectiveFrom: p.updated_at, attributes, sequence: offset };
  return bridged('customerChanges', change.customerId, change);
}

/**
 * A catalog entry as a pipeline product: id, name, category (the category path, else
 * 'unknown'). An inactive product is kept: clicks and orders may still name it, and the
 * join should still find its name. A product without a name cannot be shown: refused.
 */
export function mapProduct(p: WireProduct): BridgeMapping {
  if (p.product_id === '') return refuse('MAPPING_ERROR', 'product_id is empty');
  if (p.name.trim() === '') return refuse('MAPPING_ERROR', `product ${p.product_id} has an empty name`);
  return bridged('products', p.product_id, { productId: p.product_id, name: p.name, category: p.category_code ?? UNKNOWN });
}
