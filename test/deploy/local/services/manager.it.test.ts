import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The service manager seen from a second checkout (a private, empty cache folder) while
 * the real local services run: to it, they are processes streamhouse did not start. So
 * `up` must refuse with one clear message naming the port, `status` must call them
 * foreign, and `down` must leave them running.
 *
 * SAFETY: this file must never act on the real cache folder, or `down` would stop the
 * services everyone shares. deploy/local/paths.ts reads STREAMHOUSE_CACHE_DIR when it is
 * first imported, so nothing here imports it statically (not even through config.ts),
 * and every test checks first that the loaded paths point into the private folder.
 */
const cache = mkdtempSync(join(tmpdir(), 'streamhouse-manager-'));
process.env.STREAMHOUSE_CACHE_DIR = cache;
type Manager = typeof import('../../../../deploy/local/services/manager.ts');
type Service = typeof import('../../../../deploy/local/services/service.ts');
type Paths = typeof import('../../../../deploy/local/paths.ts');
type Config = ReturnType<typeof import('../../../../deploy/config.ts').loadConfig>;
let manager: Manager;
let service: Service;
let paths: Paths;
let config: Config;

/** Throws unless the service layer works in the private cache folder. */
function assertPrivateCache(): void {
  if (paths.PROJECT_CACHE !== cache || !paths.RUN_DIR.startsWith(cache)) {
    throw new Error(`refusing to run: the service layer uses ${paths.RUN_DIR}, not the private ${cache}`);
  }
}

/** Throws unless the real services answer (else `up` here would start a second set). */
async function assertServicesRunning(): Promise<void> {
  for (const port of [9092, 9000]) {
    if (!(await service.portOpen('127.0.0.1', port))) throw new Error(`the local services must be running (nothing on port ${port})`);
  }
}

beforeAll(async () => {
  paths = await import('../../../../deploy/local/paths.ts');
  manager = await import('../../../../deploy/local/services/manager.ts');
  service = await import('../../../../deploy/local/services/service.ts');
  config = (await import('../../../../deploy/config.ts')).loadConfig();
  assertPrivateCache();
  await assertServicesRunning();
});

afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('services started by someone else', () => {
  it('status reports them as foreign', async () => {
    assertPrivateCache();
    const rows = await manager.status(config);
    expect(rows.find((r) => r.name === 'kafka')).toMatchObject({ state: 'foreign', address: '127.0.0.1:9092' });
    expect(rows.find((r) => r.name === 'object-store')).toMatchObject({ state: 'foreign', address: '127.0.0.1:9000' });
  });

  it('up refuses with one message naming the port and the fix, and starts nothing', async () => {
    assertPrivateCache();
    await assertServicesRunning();
    const err = await manager.up(config, () => {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(service.SetupError);
    expect((err as Error).message).toBe(
      'kafka: port 9092 on 127.0.0.1 is already in use by a process streamhouse did not start. Stop that process, or point streamhouse at it (see README, "Using existing services").',
    );
    expect(service.ownedPid('kafka')).toBeUndefined();
  });

  it('down stops none of them', async () => {
    assertPrivateCache();
    const lines: string[] = [];
    await manager.down(config, undefined, (l) => lines.push(l));
    expect(lines).toEqual([]);
    expect(await service.portOpen('127.0.0.1', 9092)).toBe(true);
    expect(await service.portOpen('127.0.0.1', 9000)).toBe(true);
  });

  it('`services up` prints that message without a stack trace and exits 1', async () => {
    assertPrivateCache();
    await assertServicesRunning();
    const r = spawnSync(process.execPath, [join(paths.ROOT, 'deploy', 'local', 'bootstrap.mjs'), 'services', 'up'], {
      cwd: paths.ROOT,
      env: { ...process.env, STREAMHOUSE_CACHE_DIR: cache },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('streamhouse: kafka: port 9092 on 127.0.0.1 is already in use by a process streamhouse did not start.');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
