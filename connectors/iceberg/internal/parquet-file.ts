import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { Row } from '../schema/avro-values.ts';
import type { NestedField } from '../schema/types.ts';
import { parquetSchema } from './parquet-schema.ts';
import { compareValues, toSingleValue } from './single-value.ts';

/** Column metrics of one data file, keyed by field id, as manifests store them. */
export interface FileMetrics {
  valueCounts: Map<number, bigint>;
  nullValueCounts: Map<number, bigint>;
  lowerBounds: Map<number, Buffer>;
  upperBounds: Map<number, Buffer>;
}

/** Strings longer than this get no bounds (a truncated bound would need rounding up). */
const MAX_BOUND_BYTES = 64;

/**
 * Writes rows as one Parquet file (SNAPPY, field ids in the schema) and computes the
 * metrics of its top-level primitive columns: value and null counts, and min/max
 * bounds (NaN never becomes a bound).
 */
export function writeParquet(fields: NestedField[], rows: Row[], rowGroupSize = 100_000): { bytes: Uint8Array; metrics: FileMetrics } {
  const metrics: FileMetrics = { valueCounts: new Map(), nullValueCounts: new Map(), lowerBounds: new Map(), upperBounds: new Map() };
  const columnData = fields.map((f) => {
    const data = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) data[i] = rows[i]![f.name] ?? null;
    if (typeof f.type === 'string') collect(f, data, metrics);
    return { name: f.name, data };
  });
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData: columnData as never,
    schema: parquetSchema(fields),
    rowGroupSize,
    // As Iceberg's Java writer does: the file's Iceberg schema, for tools that look for it.
    kvMetadata: [{ key: 'iceberg.schema', value: JSON.stringify({ type: 'struct', 'schema-id': 0, fields }) }],
    createdBy: 'streamhouse iceberg writer (hyparquet-writer)',
  });
  return { bytes: new Uint8Array(writer.getBuffer()), metrics };
}

function collect(f: NestedField, data: unknown[], m: FileMetrics): void {
  let nulls = 0;
  let min: unknown;
  let max: unknown;
  for (const v of data) {
    if (v === null) {
      nulls++;
      continue;
    }
    if (typeof v === 'number' && Number.isNaN(v)) continue;
    if (min === undefined || compareValues(v, min) < 0) min = v;
    if (max === undefined || compareValues(v, max) > 0) max = v;
  }
  m.valueCounts.set(f.id, BigInt(data.length));
  m.nullValueCounts.set(f.id, BigInt(nulls));
  const lo = toSingleValue(f.type, min);
  const hi = toSingleValue(f.type, max);
  if (lo && hi && lo.length <= MAX_BOUND_BYTES && hi.length <= MAX_BOUND_BYTES) {
    m.lowerBounds.set(f.id, lo);
    m.upperBounds.set(f.id, hi);
  }
}
