import type { FileIO } from '../io/file-io.ts';
import { decodeManifest, decodeManifestList } from '../manifest/manifest-io.ts';
import { EntryStatus, type DataFile, type ManifestEntry, type ManifestFile } from '../manifest/model.ts';
import type { Snapshot } from '../metadata/table-metadata.ts';

/** A live file of a snapshot with its data sequence number. */
export interface LiveFile {
  file: DataFile;
  sequenceNumber: number;
  fileSequenceNumber: number;
  snapshotId: ManifestEntry['snapshotId'];
}

export async function readManifestList(io: FileIO, snapshot: Snapshot | undefined): Promise<ManifestFile[]> {
  return snapshot ? decodeManifestList(await io.read(snapshot['manifest-list'])) : [];
}

/** Entries of a manifest with inherited sequence numbers filled in. */
export async function readEntries(io: FileIO, manifest: ManifestFile): Promise<ManifestEntry[]> {
  return decodeManifest(await io.read(manifest.path), manifest.specId).map((e) => ({
    ...e,
    snapshotId: e.snapshotId ?? manifest.addedSnapshotId,
    sequenceNumber: e.sequenceNumber ?? (e.status === EntryStatus.Added ? manifest.sequenceNumber : null),
    fileSequenceNumber: e.fileSequenceNumber ?? (e.status === EntryStatus.Added ? manifest.sequenceNumber : null),
  }));
}

/** The data files and delete files that make up a snapshot. */
export async function liveFiles(io: FileIO, snapshot: Snapshot | undefined): Promise<{ data: LiveFile[]; deletes: LiveFile[] }> {
  const data: LiveFile[] = [];
  const deletes: LiveFile[] = [];
  for (const m of await readManifestList(io, snapshot)) {
    for (const e of await readEntries(io, m)) {
      if (e.status === EntryStatus.Deleted) continue;
      const live = { file: e.dataFile, sequenceNumber: e.sequenceNumber ?? 0, fileSequenceNumber: e.fileSequenceNumber ?? 0, snapshotId: e.snapshotId };
      (m.content === 0 ? data : deletes).push(live);
    }
  }
  return { data, deletes };
}
