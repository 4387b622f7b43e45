import { describe, expect, it } from 'vitest';
import { avroToIceberg, type AvroSchema } from '../../../../connectors/iceberg/schema/avro-to-iceberg.ts';
import type { Schema } from '../../../../connectors/iceberg/schema/types.ts';

const ORDER: AvroSchema = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'placed', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'local', type: ['null', { type: 'long', logicalType: 'local-timestamp-micros' }], default: null },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'status', type: { type: 'enum', name: 'S', symbols: ['NEW', 'PAID'] } },
    { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] } } },
    { name: 'attrs', type: { type: 'map', values: ['null', 'string'] } },
  ],
};

describe('avroToIceberg', () => {
  it('maps types: timestamps to µs timestamptz/timestamp, decimal, date, enum, nested list/struct/map with fresh ids', () => {
    const { fields, lastColumnId } = avroToIceberg(ORDER);
    expect(fields).toEqual([
      { id: 1, name: 'id', required: true, type: 'long' },
      { id: 2, name: 'total', required: true, type: 'decimal(12, 2)' },
      { id: 3, name: 'placed', required: true, type: 'timestamptz' },
      { id: 4, name: 'local', required: false, type: 'timestamp' },
      { id: 5, name: 'day', required: true, type: 'date' },
      { id: 6, name: 'status', required: true, type: 'string' },
      { id: 7, name: 'lines', required: true, type: { type: 'list', 'element-id': 8, 'element-required': true, element: { type: 'struct', fields: [{ id: 9, name: 'sku', required: true, type: 'string' }, { id: 10, name: 'qty', required: true, type: 'int' }] } } },
      { id: 11, name: 'attrs', required: true, type: { type: 'map', 'key-id': 12, key: 'string', 'value-id': 13, value: 'string', 'value-required': false } },
    ]);
    expect(lastColumnId).toBe(13);
  });

  it('evolves: keeps ids by name, gives an added field (top-level or nested) a new optional id, keeps removed fields as optional', () => {
    const first = avroToIceberg(ORDER);
    const schema: Schema = { type: 'struct', 'schema-id': 0, fields: first.fields };
    const v2 = {
      type: 'record',
      name: 'Order',
      fields: [
        ...(ORDER as unknown as { fields: { name: string }[] }).fields.filter((f) => f.name !== 'day' && f.name !== 'lines'),
        { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }, { name: 'discount', type: 'double' }] } } },
        { name: 'coupon', type: 'string' },
      ],
    } as AvroSchema;
    const { fields, lastColumnId } = avroToIceberg(v2, { schema, lastColumnId: first.lastColumnId });
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName.id!.id).toBe(1);
    expect(byName.coupon).toEqual({ id: 15, name: 'coupon', required: false, type: 'string' });
    expect(byName.day).toEqual({ id: 5, name: 'day', required: false, type: 'date' });
    const line = (byName.lines!.type as { element: { fields: unknown[] } }).element.fields;
    expect(line).toContainEqual({ id: 14, name: 'discount', required: false, type: 'double' });
    expect(lastColumnId).toBe(15);
  });

  it('rejects schemas that have no Iceberg form, naming the problem', () => {
    expect(() => avroToIceberg('string')).toThrow('a table schema must be an Avro record, got "string"');
    expect(() => avroToIceberg({ type: 'record', name: 'R', fields: [{ name: 'u', type: ['int', 'string'] }] })).toThrow('only ["null", T] unions map to Iceberg, got ["int","string"]');
  });
});
