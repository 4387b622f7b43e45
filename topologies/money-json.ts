import { formatDecimal, fromUnits, type Decimal } from './logic/money/decimal.ts';

/**
 * Money in JSON state and topics: a Decimal's units as a decimal string (bigint is not
 * JSON), at a fixed scale of 2 (cents of the base currency).
 */
export type Cents = string;

export const toCents = (d: Decimal): Cents => {
  if (d.scale !== 2) throw new RangeError(`expected cents (scale 2), got scale ${d.scale}`);
  return d.units.toString();
};

export const fromCents = (c: Cents): Decimal => fromUnits(BigInt(c), 2);

export const addCents = (a: Cents, b: Cents): Cents => (BigInt(a) + BigInt(b)).toString();

export const formatCents = (c: Cents): string => formatDecimal(fromCents(c));
