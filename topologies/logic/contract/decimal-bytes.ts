/**
 * Avro's `decimal` logical type on `bytes`: the unscaled integer in big-endian two's
 * complement, minimal length (the Avro spec). The gold rows carry decimals as text with a
 * fixed number of places ("12.30" at scale 2); the conversion is exact both ways, and text
 * whose places differ from the scale, or whose digits exceed the precision, is refused
 * (never rounded, never padded), so bytes → text gives back the very same text.
 */
const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

export function decimalToBytes(text: string, precision: number, scale: number): Buffer {
  const m = typeof text === 'string' ? DECIMAL_TEXT.exec(text) : null;
  if (m === null) throw new TypeError(`${JSON.stringify(text)} is not decimal text`);
  const places = m[3] ?? '';
  if (places.length !== scale) throw new RangeError(`decimal ${text} has ${places.length} places, the schema has scale ${scale}`);
  const digits = (m[2]! + places).replace(/^0+(?=\d)/, '');
  if (digits !== '0' && digits.length > precision) throw new RangeError(`decimal ${text} exceeds precision ${precision}`);
  const unscaled = m[1] === '-' ? -BigInt(digits) : BigInt(digits);
  if (unscaled === 0n && m[1] === '-') throw new RangeError(`decimal ${text} is a negative zero`);
  return toTwosComplement(unscaled);
}

export function bytesToDecimal(bytes: Uint8Array, scale: number): string {
  if (bytes.length === 0) throw new RangeError('a decimal needs at least one byte');
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  if (bytes[0]! & 0x80) n -= 1n << BigInt(bytes.length * 8);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale === 0 ? whole : `${whole}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

function toTwosComplement(n: bigint): Buffer {
  let bytes = 1;
  while (n < -(1n << BigInt(bytes * 8 - 1)) || n >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  const unsigned = n < 0n ? (1n << BigInt(bytes * 8)) + n : n;
  return Buffer.from(unsigned.toString(16).padStart(bytes * 2, '0'), 'hex');
}
