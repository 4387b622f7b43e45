import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { LOGICAL_TYPES } from '../../../../schemas/logical-types.ts';
import { bytesToDecimal, decimalToBytes } from '../../../../topologies/logic/contract/decimal-bytes.ts';

/** Avro decimal bytes, checked against avsc with the schemas' own DecimalType (an independent encoder). */
const withLogical = (scale: number) => avro.Type.forSchema({ type: 'record', name: 'D', fields: [{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 38, scale } }] } as avro.Schema, { logicalTypes: LOGICAL_TYPES });
const plain = avro.Type.forSchema({ type: 'record', name: 'D', fields: [{ name: 'd', type: 'bytes' }] });

describe('decimal bytes', () => {
  it.each([
    ['0.00', 2],
    ['0.01', 2],
    ['-0.01', 2],
    ['1.27', 2],
    ['1.28', 2],
    ['-1.28', 2],
    ['-1.29', 2],
    ['12345678901234567.89', 2],
    ['-99999999999999999999.99', 2],
    ['0.999000', 6],
    ['1.000000', 6],
    ['42', 0],
  ])('%s at scale %i: the bytes avsc writes, and back to the same text', (text, scale) => {
    const bytes = decimalToBytes(text, 38, scale);
    const reference = (plain.fromBuffer(withLogical(scale).toBuffer({ d: text })) as { d: Buffer }).d;
    expect(bytes).toEqual(reference);
    expect(bytesToDecimal(bytes, scale)).toBe(text);
  });

  it('refuses text that would not come back the same: other places, too many digits, not a number', () => {
    expect(() => decimalToBytes('1.5', 20, 2)).toThrow('decimal 1.5 has 1 places, the schema has scale 2');
    expect(() => decimalToBytes('1.500', 20, 2)).toThrow('decimal 1.500 has 3 places, the schema has scale 2');
    expect(() => decimalToBytes('123.45', 4, 2)).toThrow('decimal 123.45 exceeds precision 4');
    expect(() => decimalToBytes('-0.00', 20, 2)).toThrow('decimal -0.00 is a negative zero');
    expect(() => decimalToBytes('1e3', 20, 0)).toThrow('"1e3" is not decimal text');
    expect(() => decimalToBytes(12 as unknown as string, 20, 0)).toThrow('12 is not decimal text');
  });
});
