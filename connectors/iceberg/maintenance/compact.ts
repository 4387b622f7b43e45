import { IcebergError } from '../errors.ts';
import { readParquetRows } from '../internal/parquet-read.ts';
import type { DataFile } from '../manifest/model.ts';
import { currentSchema, currentSnapshot, specById, type TableMetadata } from '../metadata/table-metadata.ts';
import type { Row } from '../schema/avro-values.ts';
import { carryOffsets } from '../sink/offsets.ts';
import { commitSnapshot, type CommitContext } from '../table/commit-snapshot.ts';
import { writeDataFiles } from '../table/data-writer.ts';
import { deletedPositions } from '../table/position-deletes.ts';
import { liveFiles, type LiveFile } from '../table/scan.ts';

export interface CompactOptions {
  /** Output file size to aim for (Java's default is 512 MB). */
  targetFileBytes: number;
  /** Files below this fraction of the target are small (Java: 0.75). */
  smallFraction: number;
  /** A partition is rewritten once it has this many small files (Java: 5). */
  minInputFiles: number;
}

export const COMPACT_DEFAULTS: CompactOptions = { targetFileBytes: 128 * 1024 * 1024, smallFraction: 0.75, minInputFiles: 5 };

export interface CompactResult {
  rewrittenFiles: number;
  addedFiles: number;
  removedDeleteFiles: number;
}

/**
 * Bin-packing compaction. Per partition, the small data files are read (their
 * position deletes applied), re-written into files of about the target size, and
 * swapped in one `replace` snapshot that also merges the manifests. The commit checks
 * that every replaced file is still live, and gives up when delete files were added
 * since the plan (rows they delete would come back). Position delete files that only
 * point at replaced files leave the table in the same commit.
 */
export async function compact(ctx: CommitContext, options: Partial<CompactOptions> = {}): Promise<CompactResult> {
  const o = { ...COMPACT_DEFAULTS, ...options };
  const loaded = await ctx.client.loadTable(ctx.namespace, ctx.table);
  if (!loaded) throw new IcebergError('NO_SUCH_TABLE', `table ${ctx.table} does not exist`);
  const m = loaded.metadata;
  const base = currentSnapshot(m);
  const { data, deletes } = await liveFiles(ctx.io, base);
  const groups = new Map<string, LiveFile[]>();
  for (const d of data) {
    if (d.file.fileSizeInBytes >= o.targetFileBytes * o.smallFraction || d.file.specId !== m['default-spec-id']) continue;
    const key = JSON.stringify(d.file.partition, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const inputs = [...groups.values()].filter((g) => g.length >= o.minInputFiles);
  if (inputs.length === 0) return { rewrittenFiles: 0, addedFiles: 0, removedDeleteFiles: 0 };
  const deleted = await deletedPositions(ctx.io, data, deletes);
  const schema = currentSchema(m);
  const spec = specById(m, m['default-spec-id'])!;
  const added: DataFile[] = [];
  const removed: string[] = [];
  for (const group of inputs) {
    const bytes = group.reduce((n, d) => n + d.file.fileSizeInBytes, 0);
    const records = group.reduce((n, d) => n + d.file.recordCount, 0);
    const rowsPerFile = Math.max(1, Math.floor(o.targetFileBytes / Math.max(1, bytes / Math.max(1, records))));
    let rows: Row[] = [];
    const flush = async () => {
      if (rows.length) added.push(...(await writeDataFiles(ctx.io, m.location, schema, spec, rows)));
      rows = [];
    };
    for (const d of group) {
      const gone = deleted.get(d.file.filePath);
      const fileRows = await readParquetRows(await ctx.io.read(d.file.filePath));
      fileRows.forEach((r, i) => gone?.has(BigInt(i)) || rows.push(r));
      removed.push(d.file.filePath);
      if (rows.length >= rowsPerFile) await flush();
    }
    await flush();
  }
  const replaced = new Set(removed);
  const deadDeletes = deletes.filter((d) => d.file.referencedDataFile && replaced.has(d.file.referencedDataFile)).map((d) => d.file.filePath);
  const deleteCount = deletes.length;
  await commitSnapshot(ctx, {
    operation: 'replace',
    addedData: added,
    removed: [...removed, ...deadDeletes],
    mergeManifests: true,
    summary: (cur) => carryOffsets(cur),
    validate: async (cur: TableMetadata) => {
      if (String(currentSnapshot(cur)?.['snapshot-id']) === String(base?.['snapshot-id'])) return;
      const now = await liveFiles(ctx.io, currentSnapshot(cur));
      if (now.deletes.length !== deleteCount) throw new IcebergError('CONFLICT', 'compaction aborted: delete files were committed since it was planned');
    },
  });
  return { rewrittenFiles: removed.length, addedFiles: added.length, removedDeleteFiles: deadDeletes.length };
}
