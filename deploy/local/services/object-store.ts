import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { PlatformConfig } from '../../config.ts';
import { DATA_DIR, PROJECT_CACHE, ROOT, SHARED_CACHE } from '../paths.ts';
import { launch, requireTool, run, SetupError, type LocalService } from './service.ts';

/**
 * SeaweedFS (Apache-2.0) as the local S3-compatible store: master, volume server, filer
 * and S3 gateway in one `weed server` process, bound to 127.0.0.1.
 *
 * `go install` of SeaweedFS fails on the `replace` directives in its go.mod, so the
 * module source is downloaded through the Go module proxy and `./weed` is built inside
 * it. The binary is cached per version in the shared cache (a fresh clone reuses it);
 * Go's own module and build caches stay at their usual places under the home folder.
 */
const VERSION_FILE = join(ROOT, 'deploy', 'local', 'seaweedfs.version');
const version = () => readFileSync(VERSION_FILE, 'utf8').trim();
const binary = () => join(SHARED_CACHE, `seaweedfs-${version()}`, 'weed');

export function s3Client(c: PlatformConfig): S3Client {
  return new S3Client({
    endpoint: c.s3.endpoint,
    region: c.s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: c.s3.accessKeyId, secretAccessKey: c.s3.secretAccessKey },
  });
}

export const objectStore: LocalService = {
  name: 'object-store',
  startTimeoutMs: 60_000,
  address: (c) => {
    const u = new URL(c.s3.endpoint);
    return { host: u.hostname, port: Number(u.port || 80) };
  },

  async install() {
    if (existsSync(binary())) return;
    requireTool('go', ['version'], 'Install Go 1.26 or newer (https://go.dev/doc/install) and retry.');
    const module = `github.com/seaweedfs/seaweedfs@${version()}`;
    console.log(`[setup] object-store: building SeaweedFS ${version()} from its Go module (takes several minutes once)...`);
    const info = JSON.parse(run('Downloading the SeaweedFS module', 'go', ['mod', 'download', '-json', module])) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new SetupError(`go mod download ${module} gave no folder: ${info.Error ?? 'unknown error'}`);
    const src = join(SHARED_CACHE, `seaweedfs-${version()}`, 'src');
    rmSync(src, { recursive: true, force: true });
    cpSync(info.Dir, src, { recursive: true });
    run('Making the SeaweedFS source writable', 'chmod', ['-R', 'u+w', src]);
    const out = `${binary()}.partial`;
    run('Building SeaweedFS (go build ./weed)', 'go', ['build', '-o', out, './weed'], { cwd: src, env: { CGO_ENABLED: '0' } });
    cpSync(out, binary());
    chmodSync(binary(), 0o755);
    rmSync(out, { force: true });
    rmSync(src, { recursive: true, force: true });
  },

  async start(c) {
    const { port } = this.address(c);
    const dir = join(DATA_DIR, 'seaweedfs');
    mkdirSync(dir, { recursive: true });
    // The S3 identities file is written from the config at every start; it never enters git.
    const s3Config = join(PROJECT_CACHE, 'seaweedfs-s3.json');
    writeFileSync(
      s3Config,
      JSON.stringify({
        identities: [
          {
            name: 'streamhouse',
            credentials: [{ accessKey: c.s3.accessKeyId, secretKey: c.s3.secretAccessKey }],
            actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'],
          },
        ],
      }),
      { mode: 0o600 },
    );
    return launch('object-store', binary(), [
      'server',
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-dir=${dir}`,
      '-master.port=9333',
      '-master.volumeSizeLimitMB=256',
      '-master.telemetry=false',
      '-volume.port=9340',
      '-volume.max=0',
      '-filer',
      '-filer.port=8888',
      '-s3',
      `-s3.port=${port}`,
      '-s3.port.iceberg=0', // our own catalog owns 8181
      '-s3.port.lance=0',
      `-s3.config=${s3Config}`,
    ]);
  },

  async ready(c) {
    try {
      const res = await fetch(`${c.s3.endpoint}/`, { signal: AbortSignal.timeout(1000) });
      // An unsigned request is answered (403 AccessDenied) once the gateway is up.
      return res.status > 0 && res.status < 500;
    } catch {
      return false;
    }
  },

  async afterStart(c) {
    const s3 = s3Client(c);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await s3.send(new HeadBucketCommand({ Bucket: c.s3.bucket }));
          return;
        } catch {
          try {
            await s3.send(new CreateBucketCommand({ Bucket: c.s3.bucket }));
            return;
          } catch (err) {
            // Right after start the filer may not have a volume yet; retry briefly.
            if (attempt >= 40) throw new SetupError(`Creating bucket "${c.s3.bucket}" failed: ${(err as Error).message}`);
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      }
    } finally {
      s3.destroy();
    }
  },
};
