import { describe, expect, it } from 'vitest';
import { decimalText } from '../../../../topologies/logic/bronze/decimal-bytes.ts';

describe('decimalText', () => {
  it('reads the big-endian two\'s-complement unscaled integer with the schema scale', () => {
    expect(decimalText(Buffer.from([0x30, 0x39]), 2)).toBe('123.45');
    expect(decimalText(Buffer.from([0x00, 0x80]), 0)).toBe('128');
    expect(decimalText(Buffer.from([0xff]), 4)).toBe('-0.0001');
    expect(decimalText(Buffer.from([0xff, 0x7f]), 1)).toBe('-12.9'); // -129
    expect(decimalText(Buffer.alloc(0), 4)).toBe('0.0000');
  });

  it('passes text through (a reader with the decimal logical type)', () => {
    expect(decimalText('12.3400', 4)).toBe('12.3400');
  });

  it('is exact beyond 2^53', () => {
    // 2^64 + 1 units = 18446744073709551617
    expect(decimalText(Buffer.from([0x01, 0, 0, 0, 0, 0, 0, 0, 0x01]), 4)).toBe('1844674407370955.1617');
  });
});
