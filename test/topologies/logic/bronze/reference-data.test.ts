import { describe, expect, it } from 'vitest';
import { mapCustomerProfile, mapProduct } from '../../../../topologies/logic/bronze/reference-data.ts';

describe('mapCustomerProfile', () => {
  it('is a customer change effective at updated_at, sequenced by offset', () => {
    const m = mapCustomerProfile({
      customer_id: 5001, email: 'a@x', full_name: 'Ada', country: 'GB', city: 'London', loyalty_tier: 'gold', marketing_opt_in: true,
      birth_year: null, signup_time: null, updated_at: 7_000, deleted: false, source: 'generator',
    }, 12);
    expect(m).toEqual({
      ok: true, target: 'customerChanges', key: '5001',
      value: { customerId: '5001', effectiveFrom: 7_000, sequence: 12, attributes: { name: 'Ada', email: 'a@x', city: 'London', country: 'GB', segment: 'gold', marketingOptIn: true } },
    });
  });

  it('marks a deletion', () => {
    const m = mapCustomerProfile({
      customer_id: 1, email: null, full_name: null, country: null, city: null, loyalty_tier: null, marketing_opt_in: false,
      birth_year: null, signup_time: null, updated_at: 1, deleted: true, source: 'x',
    }, 0);
    expect(m.ok && m.value).toMatchObject({ attributes: { deleted: true, name: null } });
  });
});

describe('mapProduct', () => {
  const product = { product_id: 'p9', name: 'Kettle', category_id: null, category_code: 'kitchen.kettle', brand: null, price: '9.0000', currency: 'USD', seller_id: null, is_active: false, updated_at: 1, source: 'x' };
  it('is a catalog product (inactive ones too)', () => {
    expect(mapProduct(product)).toEqual({ ok: true, target: 'products', key: 'p9', value: { productId: 'p9', name: 'Kettle', category: 'kitchen.kettle' } });
    expect(mapProduct({ ...product, category_code: null })).toMatchObject({ value: { category: 'unknown' } });
  });
  it('refuses a product without a name', () => {
    expect(mapProduct({ ...product, name: ' ' })).toEqual({ ok: false, code: 'MAPPING_ERROR', reason: 'product p9 has an empty name' });
  });
});
