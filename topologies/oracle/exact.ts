/**
 * The oracle's own exact arithmetic (it shares no code with topologies/logic): amounts are
 * fractions of bigints, reduced to whole minor units only by `roundHalfEven`.
 */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

export function parseFraction(text: string): Fraction {
  const m = /^\s*([+-]?)(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) throw new Error(`oracle: bad decimal ${text}`);
  const digits = m[3] ?? '';
  const num = BigInt(`${m[2]}${digits}`);
  return { num: m[1] === '-' ? -num : num, den: 10n ** BigInt(digits.length) };
}

/** Rounds num/den (den > 0) to an integer, ties to even. */
export function roundHalfEven(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const a = negative ? -num : num;
  let q = a / den;
  const twiceRest = (a - q * den) * 2n;
  if (twiceRest > den || (twiceRest === den && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** Renders an integer count of 10^-places units as a decimal string. */
export function render(units: bigint, places: number): string {
  const sign = units < 0n ? '-' : '';
  const text = (units < 0n ? -units : units).toString();
  if (places === 0) return sign + text;
  const padded = text.length <= places ? '0'.repeat(places - text.length + 1) + text : text;
  return `${sign}${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

/** num/den rendered with `places` decimals, half-even. */
export const ratio = (num: bigint, den: bigint, places: number): string => render(roundHalfEven(num * 10n ** BigInt(places), den), places);
