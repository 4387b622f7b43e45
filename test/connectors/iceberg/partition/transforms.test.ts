import { describe, expect, it } from 'vitest';
import { partitionSpecFor } from '../../../../connectors/iceberg/partition/spec.ts';
import { applyTransform, partitionPathValue } from '../../../../connectors/iceberg/partition/transforms.ts';
import type { Schema } from '../../../../connectors/iceberg/schema/types.ts';

const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('partition transforms', () => {
  it('day, hour, month and year of µs timestamps, floor-dividing before the epoch', () => {
    expect(applyTransform('day', 'timestamptz', us('2026-11-26T23:59:59.999Z'))).toBe(20783);
    expect(applyTransform('day', 'timestamptz', us('1969-12-31T23:59:59.999Z'))).toBe(-1);
    expect(applyTransform('hour', 'timestamp', us('1970-01-02T01:30:00Z'))).toBe(25);
    expect(applyTransform('month', 'timestamptz', us('2026-11-26T00:00:00Z'))).toBe(56 * 12 + 10);
    expect(applyTransform('year', 'date', 20783)).toBe(56);
    expect(applyTransform('day', 'timestamptz', null)).toBeNull();
  });

  it('formats partition path values as Java does', () => {
    expect(partitionPathValue('day', 20783)).toBe('2026-11-26');
    expect(partitionPathValue('hour', 25)).toBe('1970-01-02-01');
    expect(partitionPathValue('month', 682)).toBe('2026-11');
    expect(partitionPathValue('identity', 'a b')).toBe('a%20b');
  });

  it('builds specs with field ids from 1000 and explains bad expressions', () => {
    const schema: Schema = { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'event_time', required: true, type: 'timestamptz' }, { id: 2, name: 'country', required: false, type: 'string' }] };
    expect(partitionSpecFor(schema, ['day(event_time)', 'country'])).toEqual({
      'spec-id': 0,
      fields: [
        { 'source-id': 1, 'field-id': 1000, name: 'event_time_day', transform: 'day' },
        { 'source-id': 2, 'field-id': 1001, name: 'country', transform: 'identity' },
      ],
    });
    expect(() => partitionSpecFor(schema, ['day(country)'])).toThrow('day(country) needs a date or timestamp column, "country" is "string"');
    expect(() => partitionSpecFor(schema, ['bucket(country)'])).toThrow('partition transform "bucket" is not one of identity, year, month, day, hour');
    expect(() => partitionSpecFor(schema, ['day(missing)'])).toThrow('partition column "missing" is not in the table schema');
  });
});
