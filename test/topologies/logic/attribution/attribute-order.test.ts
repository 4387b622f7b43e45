import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeOrder, type Touch } from '../../../../topologies/logic/attribution/attribute-order.ts';
import type { AttributionModel } from '../../../../topologies/logic/attribution/attribution-model.ts';
import { decimal, formatDecimal, rescale } from '../../../../topologies/logic/money/decimal.ts';

const DAY = 86_400_000;
const ORDER = Date.UTC(2024, 2, 20, 12);
const touch = (daysBefore: number, channel = `ch${daysBefore}`): Touch => ({ touchId: `t${daysBefore}`, time: ORDER - daysBefore * DAY, channel, campaign: `c${daysBefore}` });
/** The hand-worked example: touches 19, 10, 7 and 1 days before a 300.00 order (given out of order). */
const TOUCHES = [touch(7), touch(19), touch(1), touch(10)];
const WIDE = { lookbackMs: 30 * DAY };

const credits = (model: AttributionModel, touches = TOUCHES, options = WIDE, revenue = '300.00') =>
  attributeOrder(model, decimal(revenue), ORDER, touches, options).map((c) => formatDecimal(c.credit));

describe('attribution of one order', () => {
  it('time-decay (7-day half-life): shares 23.69 / 57.76 / 77.74 / 140.82 as worked by hand', () => {
    const result = attributeOrder('time-decay', decimal('300.00'), ORDER, TOUCHES, WIDE);
    expect(result.map((c) => c.touch.touchId)).toEqual(['t19', 't10', 't7', 't1']);
    // weights 2^(-19/7), 2^(-10/7), 2^(-1), 2^(-1/7) = 0.15238, 0.37150, 0.5, 0.90572
    expect(result.map((c) => formatDecimal(rescale(c.share, 2, 'half-up')))).toEqual(['23.69', '57.76', '77.74', '140.82']);
  });

  it('time-decay credits add up to the order: the rounded shares make 300.01, so one cent moves', () => {
    // exact shares 23.6904, 57.7579, 77.7364, 140.8153: floors 23.69 57.75 77.73 140.81 (299.98);
    // the two missing cents go to the largest remainders .79 and .64
    expect(credits('time-decay')).toEqual(['23.69', '57.76', '77.74', '140.81']);
  });

  it('position-based 40/20/40 gives 120 / 30 / 30 / 120', () => {
    expect(credits('position-based')).toEqual(['120.00', '30.00', '30.00', '120.00']);
    expect(credits('position-based', [touch(3), touch(2), touch(1)])).toEqual(['120.00', '60.00', '120.00']);
    expect(credits('position-based', [touch(2), touch(1)])).toEqual(['150.00', '150.00']);
    expect(credits('position-based', [touch(1)])).toEqual(['300.00']);
    expect(credits('position-based', [5, 4, 3, 2, 1].map((d) => touch(d)), WIDE, '100.00')).toEqual(['40.00', '6.67', '6.67', '6.66', '40.00']);
  });

  it('first-touch, last-touch and linear', () => {
    expect(credits('first-touch')).toEqual(['300.00', '0.00', '0.00', '0.00']);
    expect(credits('last-touch')).toEqual(['0.00', '0.00', '0.00', '300.00']);
    expect(credits('linear')).toEqual(['75.00', '75.00', '75.00', '75.00']);
    expect(credits('linear', [touch(3), touch(2), touch(1)], WIDE, '100.00')).toEqual(['33.34', '33.33', '33.33']);
  });

  it('uses a 7-day lookback by default, inclusive, and ignores touches after the order', () => {
    const later: Touch = { touchId: 'after', time: ORDER + 1, channel: 'x', campaign: 'x' };
    const result = attributeOrder('time-decay', decimal('300.00'), ORDER, [...TOUCHES, later]);
    expect(result.map((c) => c.touch.touchId)).toEqual(['t7', 't1']);
    // 300 × 0.5 / (0.5 + 0.905724) = 106.7065
    expect(result.map((c) => formatDecimal(c.credit))).toEqual(['106.71', '193.29']);
    expect(attributeOrder('linear', decimal('10.00'), ORDER, [touch(8)])).toEqual([]);
  });
});

describe('attribution invariants', () => {
  it('every model credits exactly the order revenue, never a negative amount (property)', () => {
    const models: AttributionModel[] = ['first-touch', 'last-touch', 'linear', 'time-decay', 'position-based'];
    fc.assert(
      fc.property(fc.constantFrom(...models), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.array(fc.integer({ min: 0, max: 7 * DAY }), { minLength: 1, maxLength: 10 }), (model, cents, ages) => {
        const touches = ages.map((age, i) => ({ touchId: `t${i}`, time: ORDER - age, channel: 'c', campaign: 'k' }));
        const result = attributeOrder(model, { units: cents, scale: 2 }, ORDER, touches);
        expect(result.reduce((a, c) => a + c.credit.units, 0n)).toBe(cents);
        expect(result.every((c) => c.credit.units >= 0n)).toBe(true);
      }),
    );
  });
});
