import { describe, expect, it } from 'vitest';
import { decimalBytes, toSingleValue } from '../../../../connectors/iceberg/internal/single-value.ts';

describe('single-value serialization (spec Appendix D)', () => {
  it('writes ints, longs and timestamps little-endian, strings as UTF-8', () => {
    expect(toSingleValue('int', 1)).toEqual(Buffer.from([1, 0, 0, 0]));
    expect(toSingleValue('date', -1)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(toSingleValue('timestamptz', 256n)).toEqual(Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]));
    expect(toSingleValue('string', 'é')).toEqual(Buffer.from([0xc3, 0xa9]));
    expect(toSingleValue('boolean', true)).toEqual(Buffer.from([1]));
  });

  it('writes decimals as minimal two’s complement big-endian', () => {
    expect(decimalBytes(0n)).toEqual(Buffer.from([0]));
    expect(decimalBytes(127n)).toEqual(Buffer.from([0x7f]));
    expect(decimalBytes(128n)).toEqual(Buffer.from([0x00, 0x80]));
    expect(decimalBytes(-1n)).toEqual(Buffer.from([0xff]));
    expect(decimalBytes(-129n)).toEqual(Buffer.from([0xff, 0x7f]));
    expect(toSingleValue('decimal(9, 2)', 1234n)).toEqual(Buffer.from([0x04, 0xd2]));
  });

  it('has no single value for nested types or nulls', () => {
    expect(toSingleValue({ type: 'struct', fields: [] }, {})).toBeUndefined();
    expect(toSingleValue('long', null)).toBeUndefined();
  });
});
