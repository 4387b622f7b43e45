import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../../deploy/local/paths.ts';
import type { FileIO } from '../../../connectors/iceberg/io/file-io.ts';
import type { TableMetadata } from '../../../connectors/iceberg/metadata/table-metadata.ts';
import { readManifestList } from '../../../connectors/iceberg/table/scan.ts';

const PROJECT = join(ROOT, 'test', 'java', 'iceberg-check');

/** Builds test/java/iceberg-check once (Maven Central, cached in ~/.m2). */
export function buildJavaReader(): void {
  if (existsSync(join(PROJECT, 'target', 'classes', 'dev', 'streamhouse', 'check', 'IcebergCheck.class'))) return;
  const r = spawnSync('mvn', ['-q', '-B', 'package'], { cwd: PROJECT, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`mvn package of ${PROJECT} failed: ${r.stdout}${r.stderr}`);
}

export interface JavaView {
  formatVersion: number;
  lastSequenceNumber: number;
  fields: [number, string, string][];
  spec: string;
  snapshots: { id: string; sequenceNumber: number; operation: string; liveRecords: number; liveDataFiles: number; liveDeleteFiles: number; totalRecords: string }[];
}

/**
 * Copies the table's metadata file, manifest lists and manifests to a folder and reads
 * them with Apache Iceberg's Java library (TableMetadataParser, ManifestFiles).
 */
export async function readWithJava(io: FileIO, metadataLocation: string, metadata: TableMetadata): Promise<JavaView> {
  const dir = mkdtempSync(join(tmpdir(), 'lake-java-'));
  try {
    const index: string[] = [];
    const put = async (uri: string) => {
      writeFileSync(join(dir, String(index.length)), await io.read(uri));
      index.push(`${index.length}\t${uri}`);
    };
    await put(metadataLocation);
    for (const s of metadata.snapshots) {
      await put(s['manifest-list']);
      for (const m of await readManifestList(io, s)) await put(m.path);
    }
    writeFileSync(join(dir, 'index.tsv'), index.join('\n'));
    const r = spawnSync('java', ['-cp', `${join(PROJECT, 'target', 'classes')}:${join(PROJECT, 'target', 'lib', '*')}`, 'dev.streamhouse.check.IcebergCheck', dir, metadataLocation], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`Iceberg Java reader failed: ${r.stderr || r.stdout}`);
    return JSON.parse(r.stdout) as JavaView;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
