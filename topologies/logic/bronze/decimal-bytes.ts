import { formatDecimal, fromUnits } from '../money/decimal.ts';

/**
 * An Avro `decimal` (bytes) as decimal text. On the wire the value is the unscaled integer
 * in big-endian two's complement (Avro spec, "Decimal"); `scale` comes from the schema.
 * A reader with the decimal logical type registered already yields text, which passes
 * through unchanged, so the mappers work with either reader.
 *
 *   decimalText(Buffer.from([0x30, 0x39]), 2) === '123.45'
 *   decimalText(Buffer.from([0xff]), 4)       === '-0.0001'
 */
export function decimalText(value: Buffer | Uint8Array | string, scale: number): string {
  if (typeof value === 'string') return value;
  let units = 0n;
  for (const byte of value) units = (units << 8n) | BigInt(byte);
  if (value.length > 0 && (value[0]! & 0x80) !== 0) units -= 1n << BigInt(8 * value.length);
  return formatDecimal(fromUnits(units, scale));
}
