import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { readParquetRows } from '../../../../connectors/iceberg/internal/parquet-read.ts';
import { writeParquet } from '../../../../connectors/iceberg/internal/parquet-file.ts';
import type { NestedField } from '../../../../connectors/iceberg/schema/types.ts';

const FIELDS: NestedField[] = [
  { id: 1, name: 'id', required: true, type: 'long' },
  { id: 2, name: 'price', required: true, type: 'decimal(20, 2)' },
  { id: 3, name: 'small', required: false, type: 'decimal(5, 1)' },
  { id: 4, name: 'at', required: true, type: 'timestamptz' },
  { id: 5, name: 'name', required: false, type: 'string' },
  { id: 6, name: 'tags', required: true, type: { type: 'list', 'element-id': 7, element: 'string', 'element-required': true } },
  { id: 8, name: 'addr', required: false, type: { type: 'struct', fields: [{ id: 9, name: 'city', required: true, type: 'string' }] } },
];
const rows = [
  { id: 1n, price: 123456789012345678n, small: -15n, at: 1_700_000_000_000_001n, name: 'a', tags: ['x', 'y'], addr: { city: 'Oslo' } },
  { id: 2n, price: -1n, small: null, at: 5n, name: null, tags: [], addr: null },
];

describe('Parquet data files', () => {
  it('carry the Iceberg field ids on every column, nested ones included, and UTC-adjusted µs timestamps', () => {
    const { bytes } = writeParquet(FIELDS, rows);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(meta.schema.map((e) => [e.name, e.field_id])).toEqual([
      ['table', undefined], ['id', 1], ['price', 2], ['small', 3], ['at', 4], ['name', 5], ['tags', 6], ['list', undefined], ['element', 7], ['addr', 8], ['city', 9],
    ]);
    expect(meta.schema.find((e) => e.name === 'at')!.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
    expect(meta.schema.find((e) => e.name === 'price')).toMatchObject({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 9, precision: 20, scale: 2 });
    expect(meta.schema.find((e) => e.name === 'small')).toMatchObject({ type: 'INT32', precision: 5, scale: 1 });
  });

  it('read back exactly (decimals as unscaled bigint, never through a float)', async () => {
    const { bytes } = writeParquet(FIELDS, rows);
    expect(await readParquetRows(bytes)).toEqual([
      { ...rows[0], small: -15n },
      { id: 2n, price: -1n, small: null, at: 5n, name: null, tags: [], addr: null },
    ]);
  });

  it('computes counts and bounds of top-level primitive columns', () => {
    const { metrics } = writeParquet(FIELDS, rows);
    expect(metrics.valueCounts.get(1)).toBe(2n);
    expect(metrics.nullValueCounts.get(5)).toBe(1n);
    expect(metrics.lowerBounds.get(1)).toEqual(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]));
    expect(metrics.upperBounds.get(5)).toEqual(Buffer.from('a'));
    expect(metrics.lowerBounds.get(6)).toBeUndefined();
  });
});
