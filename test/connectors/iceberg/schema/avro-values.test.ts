import { describe, expect, it } from 'vitest';
import { avroRowConverter } from '../../../../connectors/iceberg/schema/avro-values.ts';

const convert = avroRowConverter({
  type: 'record',
  name: 'R',
  fields: [
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'n', type: ['null', 'long'], default: null },
    { name: 'tags', type: { type: 'map', values: 'int' } },
  ],
});

describe('avroRowConverter', () => {
  it('turns decimals into unscaled bigints from strings, Avro bytes and bigints', () => {
    expect(convert({ price: '12.3', at: 0, n: null, tags: {} }).price).toBe(1230n);
    expect(convert({ price: '-0.05', at: 0, n: null, tags: {} }).price).toBe(-5n);
    expect(convert({ price: Buffer.from([0xff, 0x38]), at: 0, n: null, tags: {} }).price).toBe(-200n);
    expect(convert({ price: 99n, at: 0, n: null, tags: {} }).price).toBe(99n);
  });

  it('turns millisecond timestamps (numbers, Dates, ISO strings) into microseconds, longs into bigint, maps into entries', () => {
    const row = convert({ price: '1', at: 1_700_000_000_123, n: { long: 5 }, tags: { a: 1 } });
    expect(row).toEqual({ price: 100n, at: 1_700_000_000_123_000n, n: 5n, tags: [{ key: 'a', value: 1 }] });
    expect(convert({ price: '1', at: '2026-11-01T00:00:00.001Z', n: null, tags: {} }).at).toBe(BigInt(Date.UTC(2026, 10, 1) + 1) * 1000n);
  });

  it('rejects a float for money and a value of the wrong type, naming the field', () => {
    expect(() => convert({ price: 1.5, at: 0, n: null, tags: {} })).toThrow('field "price": 1.5 is not a decimal with scale 2');
    expect(() => convert({ price: '1.234', at: 0, n: null, tags: {} })).toThrow('field "price": "1.234" is not a decimal with scale 2');
    expect(() => convert({ price: '1', at: 'yesterday', n: null, tags: {} })).toThrow('field "at": "yesterday" is not a timestamp');
    expect(() => convert({ price: '1', at: 0, n: null, tags: { a: 'x' } })).toThrow('field "tags.a": "x" is not an int');
  });
});
