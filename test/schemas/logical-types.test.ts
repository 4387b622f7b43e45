import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOGICAL_TYPES, normalizeDecimal } from '../../schemas/logical-types.ts';

const money = avro.Type.forSchema(
  { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 },
  { logicalTypes: LOGICAL_TYPES },
);

describe('decimal logical type', () => {
  it('encodes the unscaled value as big-endian two’s complement (Avro spec)', () => {
    expect(money.toBuffer('1.00').toString('hex')).toBe('0264'); // length 1, byte 0x64 = 100
    expect(money.toBuffer('-1.28').toString('hex')).toBe('0280'); // -128 fits one byte
    expect(money.toBuffer('1.28').toString('hex')).toBe('040080'); // 128 needs two
  });

  it('round-trips any decimal within precision and scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 9n) + 1n, max: 10n ** 9n - 1n }), (n) => {
        const neg = n < 0n;
        const digits = (neg ? -n : n).toString().padStart(3, '0');
        const text = `${neg ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
        expect(money.fromBuffer(money.toBuffer(text))).toBe(text);
      }),
    );
  });

  it('encodes the same bytes on the safe-integer fast path and the BigInt path (around 15 digits and beyond)', () => {
    const wide = avro.Type.forSchema({ type: 'bytes', logicalType: 'decimal', precision: 38, scale: 4 }, { logicalTypes: LOGICAL_TYPES });
    const twos = (n: bigint): string => {
      let bytes = 1;
      while (n < -(1n << BigInt(bytes * 8 - 1)) || n >= 1n << BigInt(bytes * 8 - 1)) bytes++;
      const mod = n < 0n ? (1n << BigInt(bytes * 8)) + n : n;
      return mod.toString(16).padStart(bytes * 2, '0');
    };
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.bigInt({ min: -(10n ** 34n), max: 10n ** 34n })), (n) => {
        const neg = n < 0n;
        const digits = (neg ? -n : n).toString().padStart(5, '0');
        const text = `${neg ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`;
        const buf = wide.toBuffer(text);
        expect(buf.subarray(buf.length - twos(n).length / 2).toString('hex')).toBe(twos(n));
        expect(wide.fromBuffer(buf)).toBe(text);
      }),
    );
  });

  it('refuses values that would need rounding or exceed the precision', () => {
    expect(() => money.toBuffer('1.005')).toThrow(/more than 2 fractional digits/);
    expect(() => money.toBuffer('12345678.00')).toThrow(/exceeds precision 9/);
    expect(() => money.toBuffer('abc')).toThrow(/not a decimal/);
    expect(money.isValid('1.5')).toBe(true);
    expect(money.isValid('x')).toBe(false);
  });

  it('normalizes to the scale', () => {
    expect(normalizeDecimal('2.5', 4)).toBe('2.5000');
    expect(normalizeDecimal('-0.10', 2)).toBe('-0.10');
    expect(normalizeDecimal('7', 2)).toBe('7.00');
  });
});
