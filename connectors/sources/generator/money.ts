/**
 * Currencies of the generated marketplace. Prices are kept in integer minor units (cents)
 * so conversion and formatting are exact; `FX_PER_USD` is the fixed table the generator
 * prices with (units of the currency per US dollar), so a downstream rates table can
 * recover the base-currency amounts.
 */
export const FX_PER_USD: Readonly<Record<string, string>> = {
  USD: '1',
  EUR: '0.92',
  GBP: '0.79',
  PLN: '4.02',
  SEK: '10.60',
  CAD: '1.37',
  JPY: '151',
};

/** [ISO country, currency, share of users]. */
export const COUNTRIES: readonly (readonly [string, string, number])[] = [
  ['US', 'USD', 0.34],
  ['GB', 'GBP', 0.15],
  ['DE', 'EUR', 0.12],
  ['FR', 'EUR', 0.08],
  ['PL', 'PLN', 0.09],
  ['SE', 'SEK', 0.05],
  ['CA', 'CAD', 0.1],
  ['JP', 'JPY', 0.07],
];

const RATE_MILLI: Record<string, number> = Object.fromEntries(
  Object.entries(FX_PER_USD).map(([c, r]) => [c, Math.round(Number(r) * 1000)]),
);

/** A USD cent amount in `currency` cents, rounded half-up (JPY to whole yen). */
export function convertCents(usdCents: number, currency: string): number {
  const milli = RATE_MILLI[currency];
  if (milli === undefined) throw new RangeError(`unknown currency ${currency}`);
  const cents = Math.round((usdCents * milli) / 1000);
  return currency === 'JPY' ? Math.round(cents / 100) * 100 : cents;
}

/**
 * 12345 -> "123.4500": cents as a decimal string at scale 4, the canonical form of the
 * schemas' decimal(18,4) (what an Avro round trip gives back).
 */
export function centsToDecimal(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const frac = abs % 100;
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${frac < 10 ? '0' : ''}${frac}00`;
}
