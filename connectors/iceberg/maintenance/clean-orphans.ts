import { IcebergError } from '../errors.ts';
import type { CommitContext } from '../table/commit-snapshot.ts';
import { reachableFiles } from './reachable.ts';

/** Files younger than this are never touched: a write in flight looks like an orphan (Java: 3 days). */
export const ORPHAN_MIN_AGE_MS = 3 * 86_400_000;

/**
 * Deletes objects under the table location that no metadata reaches (no snapshot,
 * manifest, metadata file or metadata-log entry), and only those older than
 * `minAgeMs`, since files of a commit in progress are not reachable yet.
 */
export async function cleanOrphans(ctx: CommitContext, minAgeMs = ORPHAN_MIN_AGE_MS): Promise<{ deleted: string[]; keptYoung: number }> {
  const loaded = await ctx.client.loadTable(ctx.namespace, ctx.table);
  if (!loaded) throw new IcebergError('NO_SUCH_TABLE', `table ${ctx.table} does not exist`);
  const m = loaded.metadata;
  const reach = await reachableFiles(ctx.io, m.snapshots, { liveOnly: false });
  const known = new Set([loaded.metadataLocation, ...m['metadata-log'].map((l) => l['metadata-file']), ...reach.lists, ...reach.manifests, ...reach.files]);
  const cutoff = ctx.nowMs() - minAgeMs;
  const orphans = (await ctx.io.list(`${m.location}/`)).filter((f) => !known.has(f.uri));
  const old = orphans.filter((f) => f.lastModifiedMs < cutoff).map((f) => f.uri);
  await ctx.io.deleteMany(old);
  return { deleted: old, keptYoung: orphans.length - old.length };
}
