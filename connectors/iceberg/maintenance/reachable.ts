import type { FileIO } from '../io/file-io.ts';
import type { Snapshot } from '../metadata/table-metadata.ts';
import { readEntries, readManifestList } from '../table/scan.ts';
import { EntryStatus } from '../manifest/model.ts';

/** Every file a set of snapshots points at: manifest lists, manifests, and data/delete files. */
export async function reachableFiles(io: FileIO, snapshots: Snapshot[], opts: { liveOnly: boolean }): Promise<{ lists: Set<string>; manifests: Set<string>; files: Set<string> }> {
  const lists = new Set<string>();
  const manifests = new Set<string>();
  const files = new Set<string>();
  const seenManifests = new Set<string>();
  for (const s of snapshots) {
    lists.add(s['manifest-list']);
    for (const m of await readManifestList(io, s)) {
      manifests.add(m.path);
      if (seenManifests.has(m.path)) continue;
      seenManifests.add(m.path);
      for (const e of await readEntries(io, m)) {
        if (opts.liveOnly && e.status === EntryStatus.Deleted) continue;
        files.add(e.dataFile.filePath);
      }
    }
  }
  return { lists, manifests, files };
}
