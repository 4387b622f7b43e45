import { describe, expect, it } from 'vitest';
import { add, compare, decimal, divide, formatDecimal, multiply, multiplyInt, rescale, subtract, sum } from '../../../../topologies/logic/money/decimal.ts';
import { divRound } from '../../../../topologies/logic/money/rounding.ts';

const f = formatDecimal;

describe('decimal', () => {
  it('parses and formats without losing digits', () => {
    expect(f(decimal('0.10'))).toBe('0.10');
    expect(f(decimal('-0.05'))).toBe('-0.05');
    expect(f(decimal('12'))).toBe('12');
    expect(f(decimal('123456789012345678.99'))).toBe('123456789012345678.99');
    expect(() => decimal('1e3')).toThrow('not a decimal number: "1e3"');
    expect(() => decimal('')).toThrow(RangeError);
  });

  it('adds exactly where floating point does not (0.1 + 0.2 = 0.3)', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(f(add(decimal('0.1'), decimal('0.2')))).toBe('0.3');
    expect(f(subtract(decimal('10.00'), decimal('0.01')))).toBe('9.99');
    expect(f(sum(['19.99', '0.01', '5.5'].map(decimal)))).toBe('25.50');
  });

  it('multiplies exactly', () => {
    expect(f(multiplyInt(decimal('19.99'), 3))).toBe('59.97');
    expect(f(multiply(decimal('2.55'), decimal('6')))).toBe('15.30');
    expect(f(multiply(decimal('1.005'), decimal('1.1')))).toBe('1.1055');
  });

  it('rounds half-even by default, half-up on request', () => {
    expect(f(rescale(decimal('2.345'), 2))).toBe('2.34');
    expect(f(rescale(decimal('2.355'), 2))).toBe('2.36');
    expect(f(rescale(decimal('-2.345'), 2))).toBe('-2.34');
    expect(f(rescale(decimal('2.345'), 2, 'half-up'))).toBe('2.35');
    expect(f(rescale(decimal('-2.345'), 2, 'half-up'))).toBe('-2.35');
    expect(f(rescale(decimal('2.349'), 2, 'down'))).toBe('2.34');
    expect(divRound(-7n, 2n, 'floor')).toBe(-4n);
  });

  it('divides with an explicit result scale', () => {
    expect(f(divide(decimal('100.00'), decimal('3'), 2))).toBe('33.33');
    expect(f(divide(decimal('2'), decimal('3'), 4))).toBe('0.6667');
    expect(f(divide(decimal('1'), decimal('0.125'), 0))).toBe('8');
    expect(() => divide(decimal('1'), decimal('0.00'), 2)).toThrow('division by zero');
  });

  it('compares across scales', () => {
    expect(compare(decimal('1.50'), decimal('1.5'))).toBe(0);
    expect(compare(decimal('-1'), decimal('0.001'))).toBe(-1);
  });
});
