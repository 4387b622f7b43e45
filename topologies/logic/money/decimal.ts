import { divRound, pow10, type RoundingMode } from './rounding.ts';

/**
 * An exact decimal number: `units × 10^-scale`, e.g. 12.50 is `{ units: 1250n, scale: 2 }`.
 * Money never goes through a JavaScript number. Addition and multiplication are exact
 * (the result takes the larger, respectively the summed, scale); only `rescale` and
 * `divide` round, and they take the rounding mode explicitly (half-even by default).
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

export function decimal(text: string): Decimal {
  const m = PATTERN.exec(text.trim());
  if (m === null) throw new RangeError(`not a decimal number: "${text}"`);
  const fraction = m[3] ?? '';
  const units = BigInt(m[2]! + fraction);
  return { units: m[1] === '-' ? -units : units, scale: fraction.length };
}

export function isDecimalText(text: string): boolean {
  return PATTERN.test(text.trim());
}

export function fromUnits(units: bigint, scale: number): Decimal {
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
  return { units, scale };
}

export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const whole = digits.slice(0, digits.length - d.scale);
  const text = d.scale === 0 ? whole : `${whole}.${digits.slice(digits.length - d.scale)}`;
  return negative ? `-${text}` : text;
}

/** Changes the scale; rounds (half-even by default) when digits are dropped. */
export function rescale(d: Decimal, scale: number, mode: RoundingMode = 'half-even'): Decimal {
  if (scale >= d.scale) return fromUnits(d.units * pow10(scale - d.scale), scale);
  return fromUnits(divRound(d.units, pow10(d.scale - scale), mode), scale);
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescale(a, scale).units, rescale(b, scale).units, scale];
}

export const add = (a: Decimal, b: Decimal): Decimal => {
  const [x, y, scale] = aligned(a, b);
  return { units: x + y, scale };
};

export const subtract = (a: Decimal, b: Decimal): Decimal => add(a, negate(b));
export const negate = (a: Decimal): Decimal => ({ units: -a.units, scale: a.scale });
export const multiply = (a: Decimal, b: Decimal): Decimal => ({ units: a.units * b.units, scale: a.scale + b.scale });
export const multiplyInt = (a: Decimal, n: number | bigint): Decimal => ({ units: a.units * BigInt(n), scale: a.scale });
export const zero = (scale = 2): Decimal => ({ units: 0n, scale });

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const equals = (a: Decimal, b: Decimal): boolean => compare(a, b) === 0;

export function sum(values: Iterable<Decimal>, scale = 2): Decimal {
  let total = zero(scale);
  for (const v of values) total = add(total, v);
  return total;
}

/** `a / b` rounded to `scale` digits. */
export function divide(a: Decimal, b: Decimal, scale: number, mode: RoundingMode = 'half-even'): Decimal {
  if (b.units === 0n) throw new RangeError('division by zero');
  // a/b = (a.units / b.units) × 10^(b.scale - a.scale); want units at `scale`.
  const shift = scale + b.scale - a.scale;
  const numerator = shift >= 0 ? a.units * pow10(shift) : a.units;
  const denominator = shift >= 0 ? b.units : b.units * pow10(-shift);
  return fromUnits(divRound(numerator, denominator, mode), scale);
}
