import { IcebergError } from '../errors.ts';
import type { IcebergType, Schema } from '../schema/types.ts';
import { findField } from '../schema/types.ts';

export interface PartitionField {
  'source-id': number;
  'field-id': number;
  name: string;
  /** identity, year, month, day or hour. */
  transform: string;
}

export interface PartitionSpec {
  'spec-id': number;
  fields: PartitionField[];
}

export const UNPARTITIONED: PartitionSpec = { 'spec-id': 0, fields: [] };
/** Partition field ids start at 1000; an unpartitioned table has last-partition-id 999. */
export const FIRST_PARTITION_FIELD_ID = 1000;

const TRANSFORMS = new Set(['identity', 'year', 'month', 'day', 'hour']);

/**
 * Parses partition expressions such as `day(event_time)`, `hour(ts)` or `country`
 * (identity) against a schema. An empty list gives the unpartitioned spec.
 */
export function partitionSpecFor(schema: Schema, expressions: string[], specId = 0): PartitionSpec {
  const fields = expressions.map((expr, i): PartitionField => {
    const m = /^\s*(?:(\w+)\(\s*([\w.]+)\s*\)|([\w.]+))\s*$/.exec(expr);
    if (!m) throw new IcebergError('BAD_PARTITION', `partition expression "${expr}" is not transform(column) or column`);
    const transform = m[1] ?? 'identity';
    const column = m[2] ?? m[3]!;
    if (!TRANSFORMS.has(transform)) throw new IcebergError('BAD_PARTITION', `partition transform "${transform}" is not one of ${[...TRANSFORMS].join(', ')}`);
    const source = findField(schema, column);
    if (!source) throw new IcebergError('BAD_PARTITION', `partition column "${column}" is not in the table schema`);
    if (transform !== 'identity' && !['date', 'timestamp', 'timestamptz'].includes(source.type as string)) {
      throw new IcebergError('BAD_PARTITION', `${transform}(${column}) needs a date or timestamp column, "${column}" is ${JSON.stringify(source.type)}`);
    }
    const name = transform === 'identity' ? column.replace(/\./g, '_') : `${column.replace(/\./g, '_')}_${transform}`;
    return { 'source-id': source.id, 'field-id': FIRST_PARTITION_FIELD_ID + i, name, transform };
  });
  return { 'spec-id': specId, fields };
}

/** The Iceberg type of a partition field's values. */
export function resultType(transform: string, sourceType: IcebergType): IcebergType {
  if (transform === 'identity') return sourceType;
  return transform === 'day' ? 'date' : 'int';
}
