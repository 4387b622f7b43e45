import { decimal, multiply, rescale, type Decimal } from './decimal.ts';
import type { RoundingMode } from './rounding.ts';

/**
 * Conversion into one base currency. A rates table gives, for each ISO-4217 code, how many
 * units of the base currency one unit of that currency buys (the base itself is 1).
 * Rates are decimal strings, so conversion is exact until the final rounding to the
 * base currency's minor unit (2 digits, half-even unless told otherwise).
 */
export interface RatesTable {
  readonly base: string;
  /** code → base units per one unit of `code`, as a decimal string. */
  readonly rates: Readonly<Record<string, string>>;
}

export class UnknownCurrencyError extends Error {
  override name = 'UnknownCurrencyError';
  constructor(readonly currency: string) {
    super(`unknown currency "${currency}": not in the rates table`);
  }
}

export function isKnownCurrency(table: RatesTable, code: string): boolean {
  return code === table.base || Object.hasOwn(table.rates, code);
}

export function rateOf(table: RatesTable, code: string): Decimal {
  if (code === table.base) return decimal('1');
  const rate = Object.hasOwn(table.rates, code) ? table.rates[code] : undefined;
  if (rate === undefined) throw new UnknownCurrencyError(code);
  return decimal(rate);
}

export function toBase(amount: Decimal, currency: string, table: RatesTable, scale = 2, mode: RoundingMode = 'half-even'): Decimal {
  return rescale(multiply(amount, rateOf(table, currency)), scale, mode);
}
