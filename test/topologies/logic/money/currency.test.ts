import { describe, expect, it } from 'vitest';
import { isKnownCurrency, toBase, UnknownCurrencyError, type RatesTable } from '../../../../topologies/logic/money/currency.ts';
import { decimal, formatDecimal } from '../../../../topologies/logic/money/decimal.ts';

const table: RatesTable = { base: 'EUR', rates: { USD: '0.92', GBP: '1.1745', JPY: '0.0061' } };

describe('currency conversion', () => {
  it('converts into the base currency and rounds half-even to the cent', () => {
    expect(formatDecimal(toBase(decimal('10.00'), 'USD', table))).toBe('9.20');
    expect(formatDecimal(toBase(decimal('3.33'), 'GBP', table))).toBe('3.91'); // 3.911085
    expect(formatDecimal(toBase(decimal('1250'), 'JPY', table))).toBe('7.62'); // 7.625 → even
    expect(formatDecimal(toBase(decimal('7.5'), 'EUR', table))).toBe('7.50');
  });

  it('knows the base and the listed codes only', () => {
    expect(isKnownCurrency(table, 'EUR')).toBe(true);
    expect(isKnownCurrency(table, 'GBP')).toBe(true);
    expect(isKnownCurrency(table, 'toString')).toBe(false);
    expect(() => toBase(decimal('1'), 'XXX', table)).toThrow(UnknownCurrencyError);
    expect(() => toBase(decimal('1'), 'XXX', table)).toThrow('unknown currency "XXX": not in the rates table');
  });
});
