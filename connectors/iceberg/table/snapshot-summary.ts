import type { DataFile, ManifestFile } from '../manifest/model.ts';
import type { Snapshot } from '../metadata/table-metadata.ts';
import type { SnapshotChange } from './commit-snapshot.ts';

const sum = (files: DataFile[], f: (d: DataFile) => number) => files.reduce((n, d) => n + f(d), 0);

/**
 * The snapshot summary (spec, "Snapshot Summary"): the operation, what this snapshot
 * added and removed, and the table totals after it. Totals of files and records come
 * from the new manifest list (live = added + existing entries); total-files-size
 * carries the parent's total forward.
 */
export function snapshotSummary(change: SnapshotChange, extra: Record<string, string> | undefined, parent: Snapshot | undefined, manifests: ManifestFile[], removed: DataFile[]): Record<string, string> & { operation: string } {
  const addedData = change.addedData ?? [];
  const addedDeletes = change.addedDeletes ?? [];
  const removedData = removed.filter((f) => f.content === 0);
  const removedDeletes = removed.filter((f) => f.content !== 0);
  const live = (content: 0 | 1, f: (m: ManifestFile) => number) => manifests.filter((m) => m.content === content).reduce((n, m) => n + f(m), 0);
  const size = (files: DataFile[]) => sum(files, (d) => d.fileSizeInBytes);
  const parentSize = Number(parent?.summary['total-files-size'] ?? 0);
  const partitions = new Set([...addedData, ...addedDeletes, ...removed].map((f) => JSON.stringify(f.partition, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))));
  const s: Record<string, string> = {
    'added-data-files': String(addedData.length),
    'added-records': String(sum(addedData, (d) => d.recordCount)),
    'added-files-size': String(size(addedData) + size(addedDeletes)),
    'changed-partition-count': String(partitions.size),
    'total-records': String(live(0, (m) => m.addedRowsCount + m.existingRowsCount)),
    'total-files-size': String(Math.max(0, parentSize + size(addedData) + size(addedDeletes) - size(removed))),
    'total-data-files': String(live(0, (m) => m.addedFilesCount + m.existingFilesCount)),
    'total-delete-files': String(live(1, (m) => m.addedFilesCount + m.existingFilesCount)),
    'total-position-deletes': String(live(1, (m) => m.addedRowsCount + m.existingRowsCount)),
    'total-equality-deletes': '0',
  };
  if (addedDeletes.length) {
    s['added-delete-files'] = String(addedDeletes.length);
    s['added-position-delete-files'] = String(addedDeletes.length);
    s['added-position-deletes'] = String(sum(addedDeletes, (d) => d.recordCount));
  }
  if (removedData.length) {
    s['deleted-data-files'] = String(removedData.length);
    s['deleted-records'] = String(sum(removedData, (d) => d.recordCount));
  }
  if (removedDeletes.length) {
    s['removed-delete-files'] = String(removedDeletes.length);
    s['removed-position-deletes'] = String(sum(removedDeletes, (d) => d.recordCount));
  }
  if (removed.length) s['removed-files-size'] = String(size(removed));
  return { operation: change.operation, ...s, ...(extra ?? {}) };
}
