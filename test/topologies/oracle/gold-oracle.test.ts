import { describe, expect, it } from 'vitest';
import { runGoldOracle } from '../../../topologies/oracle/gold-oracle.ts';
import { runLogicPipeline } from './support/logic-pipeline.ts';

const RATES = { base: 'EUR', rates: { USD: '0.90', GBP: '1.20' } };
const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2024, 2, 10, 10); // 2024-03-10 10:00 UTC
const DAY = (d: number) => Date.UTC(2024, 2, d);
const click = (eventId: string, userId: string, time: number, channel: string, campaign: string | null, eventType = 'view') => ({ type: 'click', eventId, userId, time, eventType, channel, campaign, page: `/${channel}`, productId: null });
const line = (productId: string, category: string, quantity: number, unitPrice: string) => ({ productId, category, quantity, unitPrice });
const order = (eventId: string, orderId: string, customerId: string, time: number, channel: string, country: string, currency: string, lines: unknown[]) => ({ type: 'order', eventId, orderId, customerId, time, channel, country, currency, lines });

/** Arrival order. Late, out-of-order, duplicate and malformed events included. */
const INPUT: unknown[] = [
  click('c1', 'u1', T0 - 2 * D, 'email', 'spring'),
  click('c2', 'u1', T0 - H, 'search', 'brand'),
  click('c3', 'u1', T0 - 40 * 60_000, 'search', null, 'cart'),
  click('c4', 'u1', T0 - 15 * 60_000, 'search', null, 'purchase'),
  order('e1', 'o1', 'u1', T0 + 10_000, 'search', 'DE', 'EUR', [line('p1', 'toys', 2, '10.00'), line('p2', 'books', 1, '5.50')]),
  order('e1', 'o1', 'u1', T0 + 10_000, 'search', 'DE', 'EUR', [line('p1', 'toys', 2, '10.00'), line('p2', 'books', 1, '5.50')]), // duplicate
  order('e2', 'o2', 'u2', T0 + 40_000, 'search', 'DE', 'USD', [line('p1', 'toys', 1, '11.11')]), // 9.999 EUR → 10.00
  order('bad1', 'o9', 'u2', T0, 'search', 'DE', 'EUR', [line('p1', 'toys', 0, '1.00')]), // malformed: quantity 0
  { ...click('bad2', 'u2', T0, 'search', null), userId: undefined }, // malformed: no user
  order('bad3', 'o8', 'u2', T0, 'search', 'DE', 'XXX', [line('p1', 'toys', 1, '1.00')]), // malformed: unknown currency
  order('e3', 'o3', 'u1', T0 + D, 'email', 'FR', 'GBP', [line('p3', 'garden', 3, '2.25')]), // 6.75 GBP → 8.10
  order('e4', 'o4', 'u3', T0 - D, 'social', 'DE', 'EUR', [line('p1', 'toys', 1, '7.00')]), // exactly 48 h behind: on time
  order('e5', 'o5', 'u3', T0 - D - 1, 'social', 'DE', 'EUR', [line('p1', 'toys', 1, '9.00')]), // 48 h + 1 ms behind: late
  { type: 'cancellation', eventId: 'x1', orderId: 'o1', customerId: 'u1', time: T0 + D + H, currency: 'EUR', amount: '5.50' },
  { type: 'spend', eventId: 's1', campaign: 'spring', channel: 'email', time: T0, currency: 'EUR', amount: '12.00' },
  { type: 'spend', eventId: 's2', campaign: 'brand', channel: 'search', time: T0, currency: 'USD', amount: '10.00' }, // 9.00 EUR
  click('c1', 'u9', T0 + D + 2 * H, 'social', null), // same id as the first click but 3 days later: not a duplicate
];
const OPTIONS = { rates: RATES, rfmReferenceTime: T0 + 3 * D };
const sortRows = <T>(rows: T[]): T[] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('gold oracle on a hand-made input', () => {
  const gold = runGoldOracle(INPUT, OPTIONS);

  it('admits by the documented rules: bronze = silver + duplicates + DLQ + late', () => {
    expect(gold.counts).toEqual({ input: 17, accepted: 12, malformed: 3, late: 1, duplicates: 1 });
  });

  it('computes sales performance by window × category × channel × country (worked by hand)', () => {
    const day = gold.sales.filter((r) => r.window === '1d').map(({ window: _w, ...r }) => r);
    expect(sortRows(day)).toEqual(sortRows([
      { windowStart: DAY(10), category: 'toys', channel: 'search', country: 'DE', revenue: '30.00', orders: 2, units: 3, aov: '15.00' },
      { windowStart: DAY(10), category: 'books', channel: 'search', country: 'DE', revenue: '5.50', orders: 1, units: 1, aov: '5.50' },
      { windowStart: DAY(11), category: 'garden', channel: 'email', country: 'FR', revenue: '8.10', orders: 1, units: 3, aov: '8.10' },
      { windowStart: DAY(9), category: 'toys', channel: 'social', country: 'DE', revenue: '7.00', orders: 1, units: 1, aov: '7.00' },
    ]));
    const minute = gold.sales.find((r) => r.window === '1m' && r.category === 'toys' && r.channel === 'search')!;
    expect([minute.windowStart, minute.revenue, minute.orders]).toEqual([T0, '30.00', 2]);
    expect(gold.sales).toHaveLength(12);
  });

  it('computes channel performance per day (worked by hand)', () => {
    const row = (day: number, channel: string, sessions: number, conversions: number, conversionRate: string | null, revenue: string, spend: string, roas: string | null, cac: string | null) => ({ day: DAY(day), channel, sessions, conversions, conversionRate, revenue, spend, roas, cac });
    expect(sortRows(gold.channels)).toEqual(sortRows([
      row(8, 'email', 1, 0, '0.0000', '0.00', '0.00', null, null),
      row(10, 'search', 1, 1, '1.0000', '35.50', '9.00', '3.9444', '9.00'),
      row(10, 'email', 0, 0, null, '0.00', '12.00', '0.0000', null),
      row(11, 'email', 0, 0, null, '8.10', '0.00', null, null),
      row(9, 'social', 0, 0, null, '7.00', '0.00', null, null),
      row(11, 'social', 1, 0, '0.0000', '0.00', '0.00', null, null),
    ]));
  });

  it('computes attribution totals per model (worked by hand)', () => {
    const totals = Object.fromEntries(gold.attribution.map((r) => [`${r.model} ${r.campaign}`, r.revenue]));
    expect(totals).toEqual({
      // a touch in the lookback that a model gives nothing still gets a 0.00 row
      'first-touch spring': '33.60', 'first-touch brand': '0.00', 'first-touch (none)': '17.00',
      'last-touch brand': '33.60', 'last-touch spring': '0.00', 'last-touch (none)': '17.00',
      'linear spring': '16.80', 'linear brand': '16.80', 'linear (none)': '17.00',
      'position-based spring': '16.80', 'position-based brand': '16.80', 'position-based (none)': '17.00',
      // o1: 25.50 × w(2d)/(w(2d)+w(1h)) = 11.5176 → 11.52 / 13.98; o3: 8.10 → 3.6585, 4.4415 → 3.66 / 4.44
      'time-decay spring': '15.18', 'time-decay brand': '18.42', 'time-decay (none)': '17.00',
    });
  });

  it('links an order to the clicks of its userId (the clickstream user), not of its customer id', () => {
    const linked = { ...order('e9', 'o9', '100001', T0, 'email', 'DE', 'EUR', [line('p1', 'toys', 1, '30.00')]), userId: '512000001' };
    const input = [click('k1', '512000001', T0 - D, 'email', 'spring'), click('k2', '100001', T0 - H, 'search', 'brand'), linked];
    const credited = (events: unknown[]) => runGoldOracle(events, OPTIONS).attribution.filter((r) => r.model === 'linear').map((r) => [r.campaign, r.revenue]);
    expect(credited(input)).toEqual([['spring', '30.00']]);
    expect(credited([...input.slice(0, 2), { ...linked, userId: null }])).toEqual([['brand', '30.00']]);
    expect(runGoldOracle([{ ...linked, userId: '' }], OPTIONS).counts.malformed).toBe(1);
  });

  it('computes RFM with the documented quintile rules (worked by hand)', () => {
    expect(gold.rfm).toEqual([
      { customerId: 'u1', recencyDays: 2, frequency: 2, monetary: '28.10', r: 5, f: 5, m: 5, segment: 'champions' },
      { customerId: 'u2', recencyDays: 2, frequency: 1, monetary: '10.00', r: 5, f: 1, m: 3, segment: 'new_customers' },
      { customerId: 'u3', recencyDays: 4, frequency: 1, monetary: '7.00', r: 1, f: 3, m: 1, segment: 'at_risk' },
    ]);
  });

  it('equals the logic modules run event by event', () => {
    const logic = runLogicPipeline(INPUT, RATES, OPTIONS.rfmReferenceTime);
    expect(logic.counts).toEqual(gold.counts);
    expect(sortRows(logic.sales)).toEqual(sortRows(gold.sales));
    expect(sortRows(logic.channels)).toEqual(sortRows(gold.channels));
    expect(sortRows(logic.attribution)).toEqual(sortRows(gold.attribution));
    expect(logic.rfm).toEqual(gold.rfm);
  });
});
