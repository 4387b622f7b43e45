import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../../deploy/config.ts';
import { ROOT } from '../../../deploy/local/paths.ts';
import { VENV_PYTHON } from '../../../deploy/local/tools.ts';

/** PyIceberg RestCatalog properties for a catalog at `uri`, with the store from loadConfig(). */
export function catalogProps(uri: string, s3Endpoint?: string): Record<string, string> {
  const c = loadConfig();
  return {
    uri,
    's3.endpoint': s3Endpoint ?? c.s3.endpoint,
    's3.region': c.s3.region,
    's3.access-key-id': c.s3.accessKeyId,
    's3.secret-access-key': c.s3.secretAccessKey,
  };
}

/**
 * Runs test/python/iceberg_check.py with the venv's python; resolves to one result per
 * op. Asynchronous on purpose: the catalog under test may live in this very process.
 */
export function pyiceberg(uri: string, table: string, ops: Record<string, unknown>[], s3Endpoint?: string): Promise<unknown[]> {
  return runPython('iceberg_check.py', { catalog: catalogProps(uri, s3Endpoint), table, ops }) as Promise<unknown[]>;
}

/** Runs a script of test/python with a JSON request on stdin; resolves to its JSON output. */
export function runPython(script: string, request: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(VENV_PYTHON, [join(ROOT, 'test', 'python', script)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`pyiceberg failed (${code}): ${Buffer.concat(err).toString().slice(-3000)}`));
      else resolve(JSON.parse(Buffer.concat(out).toString()) as unknown);
    });
    child.stdin.end(JSON.stringify(request));
  });
}
