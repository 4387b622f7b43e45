import { describe, expect, it } from 'vitest';
import { decimal } from '../../../../topologies/logic/money/decimal.ts';
import { reconcileCounts, reconcileRevenue } from '../../../../topologies/logic/quality/reconciliation.ts';

describe('cross-layer reconciliation', () => {
  it('passes when bronze = silver + duplicates + DLQ + late, alerts otherwise', () => {
    expect(reconcileCounts(0, { bronze: 17, silver: 12, duplicates: 1, dlq: 3, late: 1 })).toBeNull();
    expect(reconcileCounts(60_000, { bronze: 18, silver: 12, duplicates: 1, dlq: 3, late: 1 })).toEqual({
      check: 'counts',
      window: 60_000,
      message: 'bronze 18 != silver 12 + duplicates 1 + dlq 3 + late 1 (= 17)',
    });
  });

  it('compares silver and gold revenue exactly', () => {
    expect(reconcileRevenue(0, decimal('35.50'), decimal('35.5'))).toBeNull();
    expect(reconcileRevenue(0, decimal('35.50'), decimal('35.49'))?.message).toBe('silver revenue 35.50 != gold revenue 35.49');
  });
});
