import { randomUUID } from 'node:crypto';
import type { FileIO } from '../io/file-io.ts';
import { readParquetRows } from '../internal/parquet-read.ts';
import { writeParquet } from '../internal/parquet-file.ts';
import { FileContent, type DataFile } from '../manifest/model.ts';
import type { NestedField } from '../schema/types.ts';
import type { LiveFile } from './scan.ts';

/** The reserved schema of position delete files (spec, "Position Delete Files"). */
export const POSITION_DELETE_FIELDS: NestedField[] = [
  { id: 2147483546, name: 'file_path', required: true, type: 'string' },
  { id: 2147483545, name: 'pos', required: true, type: 'long' },
];

/**
 * Writes one position delete file for rows of data files in one partition, sorted by
 * (file_path, pos) as the spec requires. With a single referenced data file, the
 * DataFile names it in referenced_data_file so readers can match it directly.
 */
export async function writePositionDeletes(io: FileIO, location: string, target: DataFile, deletes: { path: string; pos: bigint }[]): Promise<DataFile> {
  const sorted = [...deletes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.pos < b.pos ? -1 : a.pos > b.pos ? 1 : 0));
  const { bytes, metrics } = writeParquet(POSITION_DELETE_FIELDS, sorted.map((d) => ({ file_path: d.path, pos: d.pos })));
  const filePath = `${location}/data/deletes/${randomUUID()}-deletes.parquet`;
  await io.write(filePath, bytes);
  const paths = new Set(sorted.map((d) => d.path));
  return {
    content: FileContent.PositionDeletes,
    filePath,
    fileFormat: 'PARQUET',
    specId: target.specId,
    partition: target.partition,
    recordCount: sorted.length,
    fileSizeInBytes: bytes.length,
    valueCounts: metrics.valueCounts,
    nullValueCounts: metrics.nullValueCounts,
    lowerBounds: metrics.lowerBounds,
    upperBounds: metrics.upperBounds,
    ...(paths.size === 1 ? { referencedDataFile: [...paths][0]! } : {}),
  };
}

/**
 * The deleted positions of each data file: position deletes apply to data files in
 * the same partition spec whose data sequence number is not above theirs.
 */
export async function deletedPositions(io: FileIO, data: LiveFile[], deletes: LiveFile[]): Promise<Map<string, Set<bigint>>> {
  const seq = new Map(data.map((d) => [d.file.filePath, d.sequenceNumber]));
  const out = new Map<string, Set<bigint>>();
  for (const d of deletes) {
    if (d.file.content !== FileContent.PositionDeletes) continue;
    if (d.file.referencedDataFile && !seq.has(d.file.referencedDataFile)) continue;
    for (const row of await readParquetRows(await io.read(d.file.filePath))) {
      const path = row.file_path as string;
      const dataSeq = seq.get(path);
      if (dataSeq === undefined || dataSeq > d.sequenceNumber) continue;
      let set = out.get(path);
      if (!set) out.set(path, (set = new Set()));
      set.add(BigInt(row.pos as bigint));
    }
  }
  return out;
}
