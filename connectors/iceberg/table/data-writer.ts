import { randomUUID } from 'node:crypto';
import type { FileIO } from '../io/file-io.ts';
import { writeParquet } from '../internal/parquet-file.ts';
import { FileContent, type DataFile } from '../manifest/model.ts';
import { applyTransform, partitionPathValue } from '../partition/transforms.ts';
import type { PartitionSpec } from '../partition/spec.ts';
import type { Row } from '../schema/avro-values.ts';
import type { NestedField, Schema } from '../schema/types.ts';
import { isStruct } from '../schema/types.ts';

/** Where one partition field takes its source value from in a Row. */
interface Extractor {
  name: string;
  transform: string;
  sourceType: string;
  get: (row: Row) => unknown;
}

function extractors(schema: Schema, spec: PartitionSpec): Extractor[] {
  return spec.fields.map((p) => {
    const path: string[] = [];
    let type = '';
    const walk = (fields: NestedField[]): boolean => {
      for (const f of fields) {
        path.push(f.name);
        if (f.id === p['source-id']) return (type = f.type as string), true;
        if (isStruct(f.type) && walk(f.type.fields)) return true;
        path.pop();
      }
      return false;
    };
    walk(schema.fields);
    const get = (row: Row) => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Row)[k] : undefined), row);
    return { name: p.name, transform: p.transform, sourceType: type, get };
  });
}

/**
 * Writes rows as Parquet data files under `<location>/data/<partition path>/`, one
 * file per partition value, and returns their DataFile descriptions (not yet
 * committed: a snapshot commit makes them part of the table).
 */
export async function writeDataFiles(io: FileIO, location: string, schema: Schema, spec: PartitionSpec, rows: Row[]): Promise<DataFile[]> {
  const ex = extractors(schema, spec);
  const groups = new Map<string, { partition: Record<string, unknown>; rows: Row[] }>();
  for (const row of rows) {
    const partition: Record<string, unknown> = {};
    let key = '';
    for (const e of ex) {
      const v = applyTransform(e.transform, e.sourceType, e.get(row));
      partition[e.name] = v;
      key += `${e.name}=${partitionPathValue(e.transform, v)}/`;
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { partition, rows: [] }));
    g.rows.push(row);
  }
  const files: DataFile[] = [];
  for (const [path, g] of groups) {
    const { bytes, metrics } = writeParquet(schema.fields, g.rows);
    const filePath = `${location}/data/${path}${randomUUID()}.parquet`;
    await io.write(filePath, bytes);
    files.push({
      content: FileContent.Data,
      filePath,
      fileFormat: 'PARQUET',
      specId: spec['spec-id'],
      partition: g.partition,
      recordCount: g.rows.length,
      fileSizeInBytes: bytes.length,
      valueCounts: metrics.valueCounts,
      nullValueCounts: metrics.nullValueCounts,
      lowerBounds: metrics.lowerBounds,
      upperBounds: metrics.upperBounds,
    });
  }
  return files;
}
