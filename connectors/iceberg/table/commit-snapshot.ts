import { randomInt, randomUUID } from 'node:crypto';
import { CommitFailedError, IcebergError } from '../errors.ts';
import type { FileIO } from '../io/file-io.ts';
import type { RestCatalogClient } from '../client/rest-catalog-client.ts';
import { encodeManifest, encodeManifestList, summarizePartitions } from '../manifest/manifest-io.ts';
import { EntryStatus, type DataFile, type Long, type ManifestEntry, type ManifestFile } from '../manifest/model.ts';
import { currentSchema, currentSnapshot, specById, type Snapshot, type TableMetadata } from '../metadata/table-metadata.ts';
import { readEntries, readManifestList } from './scan.ts';
import { snapshotSummary } from './snapshot-summary.ts';

export interface SnapshotChange {
  /** append (only adds), overwrite (adds and removes), replace (same rows, new files), delete. */
  operation: 'append' | 'overwrite' | 'replace' | 'delete';
  addedData?: DataFile[];
  /** Position delete files. */
  addedDeletes?: DataFile[];
  /** Paths of data or delete files that leave the table; each must still be live. */
  removed?: string[];
  /**
   * Extra summary keys, such as the Kafka offsets the snapshot covers; a function gets
   * the current metadata of each attempt (maintenance carries the offsets forward).
   */
  summary?: Record<string, string> | ((metadata: TableMetadata) => Record<string, string>);
  /** Rewrites all existing manifests into one per content and spec (manifest merging). */
  mergeManifests?: boolean;
  /** Called with the table's current metadata before every attempt; throw to give up. */
  validate?: (metadata: TableMetadata) => void | Promise<void>;
}

export interface CommitContext {
  client: RestCatalogClient;
  io: FileIO;
  namespace: string[];
  table: string;
  nowMs: () => number;
  maxAttempts?: number;
}

/**
 * Commits one snapshot through the catalog, optimistically: read the current
 * metadata, write manifests and a manifest list on top of the current snapshot, and
 * commit with `assert-ref-snapshot-id main`. When another writer got there first
 * (409), everything above the data files is rebuilt on the new state and retried.
 *
 * Manifests: added files go into new manifests whose entries leave their sequence
 * numbers null (inherited from the manifest list). A manifest that holds a removed
 * file is rewritten: that entry becomes DELETED, the others EXISTING, both with
 * explicit sequence numbers. Untouched manifests are reused as they are.
 */
export async function commitSnapshot(ctx: CommitContext, change: SnapshotChange): Promise<{ metadata: TableMetadata; snapshot: Snapshot }> {
  const attempts = ctx.maxAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    const loaded = await ctx.client.loadTable(ctx.namespace, ctx.table);
    if (!loaded) throw new IcebergError('NO_SUCH_TABLE', `table ${ctx.namespace.join('.')}.${ctx.table} does not exist`);
    const m = loaded.metadata;
    await change.validate?.(m);
    try {
      return await attemptCommit(ctx, m, change, attempt);
    } catch (err) {
      if (!(err instanceof CommitFailedError) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 20 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

async function attemptCommit(ctx: CommitContext, m: TableMetadata, change: SnapshotChange, attempt: number) {
  const parent = currentSnapshot(m);
  const sequenceNumber = m['last-sequence-number'] + 1;
  const snapshotId: Long = randomInt(1, 2 ** 47) * 64 + randomInt(0, 64);
  const schema = currentSchema(m);
  const removed = new Set(change.removed ?? []);
  const removedFiles: DataFile[] = [];
  const manifests: ManifestFile[] = [];

  const writeManifest = async (content: 0 | 1, specId: number, entries: ManifestEntry[]): Promise<ManifestFile> => {
    const spec = specById(m, specId)!;
    const bytes = encodeManifest(schema, spec, content, entries);
    const path = `${m.location}/metadata/${randomUUID()}-m${manifests.length}.avro`;
    await ctx.io.write(path, bytes);
    const live = entries.filter((e) => e.status !== EntryStatus.Deleted);
    const count = (s: EntryStatus) => entries.filter((e) => e.status === s);
    const rows = (es: ManifestEntry[]) => es.reduce((n, e) => n + e.dataFile.recordCount, 0);
    return {
      path, length: bytes.length, specId, content, sequenceNumber,
      minSequenceNumber: Math.min(sequenceNumber, ...live.map((e) => e.sequenceNumber ?? sequenceNumber)),
      addedSnapshotId: snapshotId,
      addedFilesCount: count(EntryStatus.Added).length, existingFilesCount: count(EntryStatus.Existing).length, deletedFilesCount: count(EntryStatus.Deleted).length,
      addedRowsCount: rows(count(EntryStatus.Added)), existingRowsCount: rows(count(EntryStatus.Existing)), deletedRowsCount: rows(count(EntryStatus.Deleted)),
      partitions: summarizePartitions(schema, spec, live.map((e) => e.dataFile)),
    };
  };

  const added = (files: DataFile[]): ManifestEntry[] => files.map((f) => ({ status: EntryStatus.Added, snapshotId, sequenceNumber: null, fileSequenceNumber: null, dataFile: f }));
  for (const [content, files] of [[0, change.addedData ?? []], [1, change.addedDeletes ?? []]] as const) {
    for (const specId of new Set(files.map((f) => f.specId))) {
      manifests.push(await writeManifest(content, specId, added(files.filter((f) => f.specId === specId))));
    }
  }
  const merged = new Map<string, { content: 0 | 1; specId: number; entries: ManifestEntry[] }>();
  for (const old of await readManifestList(ctx.io, parent)) {
    if (removed.size === 0 && !change.mergeManifests) {
      manifests.push(old);
      continue;
    }
    const entries = await readEntries(ctx.io, old);
    if (!change.mergeManifests && !entries.some((e) => e.status !== EntryStatus.Deleted && removed.has(e.dataFile.filePath))) {
      manifests.push(old);
      continue;
    }
    const rewritten = entries
      .filter((e) => e.status !== EntryStatus.Deleted)
      .map((e): ManifestEntry => {
        const gone = removed.has(e.dataFile.filePath);
        if (gone) removedFiles.push(e.dataFile);
        return { ...e, status: gone ? EntryStatus.Deleted : EntryStatus.Existing, snapshotId: gone ? snapshotId : e.snapshotId };
      });
    if (!change.mergeManifests) {
      manifests.push(await writeManifest(old.content, old.specId, rewritten));
      continue;
    }
    const key = `${old.content}/${old.specId}`;
    const group = merged.get(key) ?? { content: old.content, specId: old.specId, entries: [] };
    group.entries.push(...rewritten);
    merged.set(key, group);
  }
  for (const g of merged.values()) {
    if (g.entries.length) manifests.push(await writeManifest(g.content, g.specId, g.entries));
  }
  if (removedFiles.length !== removed.size) {
    const live = new Set(removedFiles.map((f) => f.filePath));
    const missing = [...removed].filter((p) => !live.has(p));
    throw new IcebergError('FILES_NOT_LIVE', `cannot ${change.operation}: ${missing.length} file(s) are no longer in the table, e.g. ${missing[0]}`);
  }

  const listPath = `${m.location}/metadata/snap-${snapshotId}-${attempt}-${randomUUID()}.avro`;
  await ctx.io.write(listPath, encodeManifestList(manifests, { snapshotId, parentId: parent?.['snapshot-id'] ?? null, sequenceNumber }));
  const snapshot: Snapshot = {
    'snapshot-id': snapshotId,
    ...(parent ? { 'parent-snapshot-id': parent['snapshot-id'] } : {}),
    'sequence-number': sequenceNumber,
    'timestamp-ms': Math.floor(ctx.nowMs()),
    'manifest-list': listPath,
    summary: snapshotSummary(change, typeof change.summary === 'function' ? change.summary(m) : change.summary, parent, manifests, removedFiles),
    'schema-id': schema['schema-id'],
  };
  const result = await ctx.client.commit(
    ctx.namespace,
    ctx.table,
    [
      { type: 'assert-table-uuid', uuid: m['table-uuid'] },
      { type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': parent?.['snapshot-id'] ?? null },
    ],
    [
      { action: 'add-snapshot', snapshot },
      { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': snapshotId },
    ],
  );
  return { metadata: result.metadata, snapshot };
}
