import type { FileIO } from '../io/file-io.ts';
import { readParquetRows } from '../internal/parquet-read.ts';
import { currentSnapshot, type TableMetadata } from '../metadata/table-metadata.ts';
import type { Row } from '../schema/avro-values.ts';
import { deletedPositions } from './position-deletes.ts';
import { liveFiles } from './scan.ts';

/**
 * The rows of a table's current snapshot: every live data file read in full, minus the
 * positions its position delete files remove (merge-on-read, as an Iceberg reader does).
 * Rows come in the writer's form (longs and timestamps as bigint). Meant for checks and
 * small tables: it reads every file into memory.
 */
export async function readRows(io: FileIO, metadata: TableMetadata, columns?: string[]): Promise<Row[]> {
  const { data, deletes } = await liveFiles(io, currentSnapshot(metadata));
  const gone = await deletedPositions(io, data, deletes);
  const out: Row[] = [];
  for (const d of data) {
    const deleted = gone.get(d.file.filePath);
    const rows = await readParquetRows(await io.read(d.file.filePath), columns);
    rows.forEach((r, i) => {
      if (!deleted?.has(BigInt(i))) out.push(r);
    });
  }
  return out;
}
