import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '../../../deploy/config.ts';
import { ROOT, SHARED_CACHE } from '../../../deploy/local/paths.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A second SeaweedFS of our own (never the shared one) on free ports with its own data
 * folder, for tests that stop and restart the object store. Same flags as
 * deploy/local/services/object-store.ts; the Iceberg and Lance ports are disabled.
 */
export class PrivateStore {
  private proc?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'lake-weed-'));
  private ports: number[] = [];
  endpoint = '';

  async start(): Promise<void> {
    if (this.ports.length === 0) {
      while (this.ports.length < 8) {
        const p = await freePort();
        if (p < 55000 && !this.ports.includes(p)) this.ports.push(p);
      }
    }
    const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = this.ports as [number, number, number, number, number, number, number, number];
    this.endpoint = `http://127.0.0.1:${s3}`;
    const c = loadConfig();
    const s3Config = join(this.dir, 's3.json');
    writeFileSync(s3Config, JSON.stringify({ identities: [{ name: 'test', credentials: [{ accessKey: c.s3.accessKeyId, secretKey: c.s3.secretAccessKey }], actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'] }] }), { mode: 0o600 });
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    const version = readFileSync(join(ROOT, 'deploy', 'local', 'seaweedfs.version'), 'utf8').trim();
    this.proc = spawn(join(SHARED_CACHE, `seaweedfs-${version}`, 'weed'), [
      'server', '-ip=127.0.0.1', '-ip.bind=127.0.0.1', `-dir=${join(this.dir, 'data')}`,
      `-master.port=${master}`, `-master.port.grpc=${masterGrpc}`, '-master.volumeSizeLimitMB=64', '-master.telemetry=false',
      `-volume.port=${volume}`, `-volume.port.grpc=${volumeGrpc}`, '-volume.max=0',
      '-filer', `-filer.port=${filer}`, `-filer.port.grpc=${filerGrpc}`,
      '-s3', `-s3.port=${s3}`, `-s3.port.grpc=${s3Grpc}`, '-s3.port.iceberg=0', '-s3.port.lance=0', `-s3.config=${s3Config}`,
    ], { stdio: 'ignore' });
    const client = new S3Client({ endpoint: this.endpoint, region: c.s3.region, forcePathStyle: true, credentials: { accessKeyId: c.s3.accessKeyId, secretAccessKey: c.s3.secretAccessKey } });
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.send(new CreateBucketCommand({ Bucket: c.s3.bucket }));
          return;
        } catch (err) {
          const name = (err as { name?: string }).name ?? '';
          if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return;
          if (attempt > 240) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    } finally {
      client.destroy();
    }
  }

  /** Stops the process (SIGKILL: an outage, not a clean shutdown); the data folder stays. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
