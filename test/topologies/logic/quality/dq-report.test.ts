import { describe, expect, it } from 'vitest';
import { addDqRecord, dqReport, emptyDqCounts, type DqCounts } from '../../../../topologies/logic/quality/dq-report.ts';
import { knownValueRule, positiveRule, referenceRule, saneTimestampRule, schemaRule, type DqRecord, type DqRule } from '../../../../topologies/logic/quality/dq-rule.ts';

const NOW = Date.UTC(2024, 5, 1);
const CATALOG = new Set(['p1', 'p2']);
const RULES: DqRule[] = [
  schemaRule('order schema', { orderId: 'string', productId: 'string', quantity: 'integer', price: 'decimal', currency: 'string', time: 'integer' }),
  positiveRule('price'),
  positiveRule('quantity'),
  knownValueRule('known currency', 'currency', new Set(['EUR', 'USD'])),
  saneTimestampRule('time', Date.UTC(2020, 0, 1), 5 * 60_000),
  referenceRule('product in catalog', 'productId', (id) => CATALOG.has(id)),
];
const good = (i: number): DqRecord => ({ orderId: `o${i}`, productId: 'p1', quantity: 2, price: '9.99', currency: 'EUR', time: NOW - 1000, coupon: 'X' });

function run(records: DqRecord[], rules = RULES, fields = ['coupon']): DqCounts {
  return records.reduce((c, r) => addDqRecord(c, r, rules, { now: NOW }), emptyDqCounts(rules, fields));
}

describe('data-quality rule engine', () => {
  it('checks each rule kind', () => {
    const bad: DqRecord[] = [
      { ...good(1), quantity: 1.5 }, // schema (not an integer)
      { ...good(2), price: '0.00' }, // price > 0
      { ...good(3), quantity: -1 }, // quantity > 0
      { ...good(4), currency: 'XXX' }, // known currency
      { ...good(5), time: NOW + 3_600_000 }, // an hour in the future
      { ...good(6), productId: 'p404' }, // not in the catalog
    ];
    const report = dqReport(run(bad));
    expect(report.ruleRates).toEqual({
      'order schema': '0.833333',
      'price > 0': '0.833333',
      'quantity > 0': '0.833333',
      'known currency': '0.833333',
      'time is sane': '0.833333',
      'product in catalog': '0.833333',
    });
    expect(report.score).toBe('0.833333'); // 30 of 36 checks pass
  });

  it('one bad price in 1000 orders keeps the score above 99.9 %, unless the rule has its own threshold', () => {
    const records = Array.from({ length: 1000 }, (_, i) => (i === 500 ? { ...good(i), price: '-1.00' } : good(i)));
    const counts = run(records);
    expect(dqReport(counts)).toEqual({
      records: 1000,
      score: '0.999833', // 5999 / 6000
      ruleRates: { 'order schema': '1.000000', 'price > 0': '0.999000', 'quantity > 0': '1.000000', 'known currency': '1.000000', 'time is sane': '1.000000', 'product in catalog': '1.000000' },
      completeness: { coupon: '1.000000' },
      alerts: [],
    });
    expect(dqReport(counts, { score: '0.999', completeness: '0.999', rules: { 'price > 0': '1' } }).alerts).toEqual([{ metric: 'rule:price > 0', value: '0.999000', threshold: '1' }]);
  });

  it('compares with the threshold exactly: 999/1000 passes 99.9 %, 998/1000 alerts', () => {
    const rules = [positiveRule('quantity')];
    const batch = (bad: number) => run(Array.from({ length: 1000 }, (_, i) => ({ quantity: i < bad ? 0 : 1 })), rules, []);
    expect(dqReport(batch(1)).alerts).toEqual([]);
    expect(dqReport(batch(2)).alerts).toEqual([{ metric: 'score', value: '0.998000', threshold: '0.999' }]);
  });

  it('measures completeness as 1 − null rate per field and alerts on it', () => {
    const records = Array.from({ length: 10 }, (_, i) => ({ ...good(i), coupon: i < 3 ? (i === 0 ? null : i === 1 ? '' : undefined) : 'X' }));
    const report = dqReport(run(records));
    expect(report.completeness).toEqual({ coupon: '0.700000' });
    expect(report.alerts).toEqual([{ metric: 'completeness:coupon', value: '0.700000', threshold: '0.999' }]);
    expect(dqReport(emptyDqCounts(RULES, ['coupon'])).alerts).toEqual([]);
  });
});
