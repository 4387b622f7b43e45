import { IcebergError } from '../errors.ts';
import { currentSnapshot } from '../metadata/table-metadata.ts';
import type { CommitContext } from '../table/commit-snapshot.ts';
import { reachableFiles } from './reachable.ts';

export interface ExpireOptions {
  /** Snapshots older than this are expired (Java: 5 days). */
  maxAgeMs: number;
  /** The newest snapshots kept regardless of age (at least 1). */
  retainLast: number;
}

export const EXPIRE_DEFAULTS: ExpireOptions = { maxAgeMs: 5 * 86_400_000, retainLast: 1 };

/**
 * Expires old snapshots: removes them from the table metadata (one commit, asserting
 * the main branch did not move), then deletes the manifest lists, manifests and data
 * files that only expired snapshots used. The current snapshot and every snapshot a
 * branch or tag points at are always kept. Returns what was removed.
 */
export async function expireSnapshots(ctx: CommitContext, options: Partial<ExpireOptions> = {}): Promise<{ expiredSnapshots: number; deletedFiles: number }> {
  const o = { ...EXPIRE_DEFAULTS, ...options };
  if (o.retainLast < 1) throw new IcebergError('BAD_CONFIG', 'expire: retainLast must be at least 1');
  const loaded = await ctx.client.loadTable(ctx.namespace, ctx.table);
  if (!loaded) throw new IcebergError('NO_SUCH_TABLE', `table ${ctx.table} does not exist`);
  const m = loaded.metadata;
  const current = currentSnapshot(m);
  const referenced = new Set(Object.values(m.refs).map((r) => String(r['snapshot-id'])));
  const newestFirst = [...m.snapshots].sort((a, b) => b['timestamp-ms'] - a['timestamp-ms']);
  const cutoff = ctx.nowMs() - o.maxAgeMs;
  const keep = newestFirst.filter((s, i) => i < o.retainLast || s['timestamp-ms'] >= cutoff || referenced.has(String(s['snapshot-id'])));
  const expired = m.snapshots.filter((s) => !keep.includes(s));
  if (expired.length === 0) return { expiredSnapshots: 0, deletedFiles: 0 };
  await ctx.client.commit(
    ctx.namespace,
    ctx.table,
    [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': current?.['snapshot-id'] ?? null }],
    [{ action: 'remove-snapshots', 'snapshot-ids': expired.map((s) => s['snapshot-id']) }],
  );
  // Only after the commit: files still used by a kept snapshot stay.
  const kept = await reachableFiles(ctx.io, keep, { liveOnly: true });
  const gone = await reachableFiles(ctx.io, expired, { liveOnly: false });
  const doomed = [
    ...[...gone.lists].filter((p) => !kept.lists.has(p)),
    ...[...gone.manifests].filter((p) => !kept.manifests.has(p)),
    ...[...gone.files].filter((p) => !kept.files.has(p)),
  ];
  await ctx.io.deleteMany(doomed);
  return { expiredSnapshots: expired.length, deletedFiles: doomed.length };
}
