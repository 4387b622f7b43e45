import { IcebergError } from '../errors.ts';
import { readParquetRows } from '../internal/parquet-read.ts';
import type { DataFile } from '../manifest/model.ts';
import { currentSchema, currentSnapshot, defaultSpec, type TableMetadata } from '../metadata/table-metadata.ts';
import type { Row } from '../schema/avro-values.ts';
import { carryOffsets } from '../sink/offsets.ts';
import { commitSnapshot, type CommitContext } from './commit-snapshot.ts';
import { writeDataFiles } from './data-writer.ts';
import { deletedPositions, writePositionDeletes } from './position-deletes.ts';
import { liveFiles } from './scan.ts';

/** The identity of a row's key columns, comparable across rows read back and rows written. */
export const keyOf = (row: Row, key: string[]) => JSON.stringify(key.map((k) => row[k]), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * Upserts rows into a table keyed by its identifier fields (the primary key), with
 * format-v2 **position** deletes (never equality deletes, which PyIceberg cannot read):
 *
 * 1. the batch is reduced to its last row per key;
 * 2. the key columns of every live data file are read, and the positions of rows whose
 *    key is in the batch or in `deleteKeys` (and not deleted yet) are collected;
 * 3. one position delete file per touched data file and new data files for the rows
 *    are committed together as an `overwrite` snapshot.
 *
 * `deleteKeys` are key rows (at least the key columns) whose current row is removed; they
 * apply before `rows`, so a key in both ends with its row. Deleting a key that has no
 * row changes nothing.
 *
 * The plan is only valid on the snapshot it read, so a concurrent commit makes the
 * whole upsert start over (the snapshot id is asserted, not merely retried).
 */
export async function upsert(
  ctx: CommitContext,
  rows: Row[],
  extraSummary: Record<string, string> = {},
  /** Called with the metadata each plan starts from; throw to give up (the sink's fencing). */
  check?: (metadata: TableMetadata) => void,
  deleteKeys: Row[] = [],
): Promise<{ inserted: number; updated: number }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const loaded = await ctx.client.loadTable(ctx.namespace, ctx.table);
    if (!loaded) throw new IcebergError('NO_SUCH_TABLE', `table ${ctx.namespace.join('.')}.${ctx.table} does not exist`);
    const m = loaded.metadata;
    check?.(m);
    const schema = currentSchema(m);
    const ids = schema['identifier-field-ids'] ?? [];
    const key = ids.map((id) => schema.fields.find((f) => f.id === id)?.name).filter((n): n is string => !!n);
    if (key.length === 0) throw new IcebergError('NO_KEY', `table ${ctx.table} has no identifier fields: upserts need a primary key`);
    const latest = new Map<string, Row>();
    for (const r of rows) latest.set(keyOf(r, key), r);
    const removed = new Set(deleteKeys.map((r) => keyOf(r, key)).filter((k) => !latest.has(k)));
    const base = currentSnapshot(m);
    const { data, deletes } = await liveFiles(ctx.io, base);
    const already = await deletedPositions(ctx.io, data, deletes);
    const deleteFiles: DataFile[] = [];
    let updated = 0;
    let deleted = 0;
    for (const d of data) {
      const keys = await readParquetRows(await ctx.io.read(d.file.filePath), key);
      const gone = already.get(d.file.filePath);
      const hits: { path: string; pos: bigint }[] = [];
      keys.forEach((r, i) => {
        if (gone?.has(BigInt(i))) return;
        const k = keyOf(r, key);
        if (latest.has(k)) updated++;
        else if (removed.has(k)) deleted++;
        else return;
        hits.push({ path: d.file.filePath, pos: BigInt(i) });
      });
      if (hits.length === 0) continue;
      deleteFiles.push(await writePositionDeletes(ctx.io, m.location, d.file, hits));
    }
    const added = await writeDataFiles(ctx.io, m.location, schema, defaultSpec(m), [...latest.values()]);
    try {
      await commitSnapshot(
        { ...ctx, maxAttempts: 1 },
        {
          operation: latest.size === 0 && deleted > 0 ? 'delete' : 'overwrite',
          addedData: added,
          addedDeletes: deleteFiles,
          summary: (cur) => ({ ...carryOffsets(cur), ...extraSummary }),
          validate: (cur) => {
            if (String(currentSnapshot(cur)?.['snapshot-id']) !== String(base?.['snapshot-id'])) {
              throw new IcebergError('STALE_PLAN', 'the table changed while the upsert was planned');
            }
          },
        },
      );
      return { inserted: latest.size - updated, updated };
    } catch (err) {
      const stale = (err instanceof IcebergError && err.code === 'STALE_PLAN') || (err instanceof IcebergError && err.code === 'COMMIT_FAILED');
      if (!stale) throw err;
    }
  }
  throw new IcebergError('COMMIT_FAILED', `upsert into ${ctx.table}: the table kept changing`, { retriable: true });
}
