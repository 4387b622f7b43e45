import { describe, expect, it } from 'vitest';
import { FX_PER_USD } from '../../../connectors/sources/generator/money.ts';
import { simulatorRates } from '../../../topologies/app/live-traffic.ts';
import { isKnownCurrency, toBase } from '../../../topologies/logic/money/currency.ts';
import { decimal, formatDecimal } from '../../../topologies/logic/money/decimal.ts';

describe('simulatorRates', () => {
  it('knows every currency the simulator prices in, and one dollar in any of them is 0.92 EUR', () => {
    const rates = simulatorRates();
    expect(rates.base).toBe('EUR');
    for (const [currency, perUsd] of Object.entries(FX_PER_USD)) {
      expect(isKnownCurrency(rates, currency)).toBe(true);
      expect(formatDecimal(toBase(decimal(perUsd), currency, rates))).toBe('0.92');
    }
  });
});
