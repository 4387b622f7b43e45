import { describe, expect, it } from 'vitest';
import { featureRecord } from '../../../../topologies/logic/features/feature-record.ts';
import { applyInteraction, type CustomerFeatures } from '../../../../topologies/logic/features/interaction-scores.ts';
import { decimal } from '../../../../topologies/logic/money/decimal.ts';
import { batchRfm } from '../../../../topologies/logic/rfm/batch-rfm.ts';

const DAY = 86_400_000;

describe('customer feature record', () => {
  it('ranks products by decayed score and carries affinity and RFM', () => {
    let f: CustomerFeatures | undefined;
    for (const [productId, eventType, day] of [['a', 'view', 0], ['b', 'cart', 0], ['c', 'view', 7], ['a', 'purchase', 7]] as const) {
      f = applyInteraction(f, { customerId: 'u', productId, category: productId === 'b' ? 'books' : 'toys', eventType, time: day * DAY });
    }
    const [rfm] = batchRfm([{ kind: 'purchase', customerId: 'u', orderId: 'o1', time: 7 * DAY, amount: decimal('12.50') }], 9 * DAY);
    const record = featureRecord('u', f, rfm, 7 * DAY, 2);
    // at day 7: a = 1/2 + 5 = 5.5, b = 3/2 = 1.5, c = 1; toys 6.5 of 8
    expect(record.topProducts).toEqual([{ productId: 'a', score: 5.5 }, { productId: 'b', score: 1.5 }]);
    expect(record.categoryAffinity).toEqual({ toys: 6.5 / 8, books: 1.5 / 8 });
    expect(record.rfm).toEqual({ recencyDays: 2, frequency: 1, monetary: '12.50', r: 5, f: 1, m: 1, segment: 'new_customers' });
    expect(featureRecord('nobody', undefined, undefined, 0)).toEqual({ customerId: 'nobody', asOf: 0, topProducts: [], categoryAffinity: {}, rfm: null });
  });
});
