import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The process bookkeeping of deploy/local/services/service.ts, in a private cache folder:
 * it stops what it started, and never a process it did not start, even one that reuses
 * a recorded PID.
 */
const cache = mkdtempSync(join(tmpdir(), 'streamhouse-service-'));
process.env.STREAMHOUSE_CACHE_DIR = cache;
type ServiceModule = typeof import('../../../../deploy/local/services/service.ts');
let service: ServiceModule;
const strangers: ChildProcess[] = [];

beforeAll(async () => {
  // deploy/local/paths.ts reads STREAMHOUSE_CACHE_DIR on first import: nothing here may
  // import it statically, and the check below makes sure the real cache is never used.
  const paths = await import('../../../../deploy/local/paths.ts');
  if (paths.RUN_DIR !== join(cache, 'run')) throw new Error(`refusing to run: RUN_DIR is ${paths.RUN_DIR}, not in ${cache}`);
  service = await import('../../../../deploy/local/services/service.ts');
});

afterAll(() => {
  for (const p of strangers) p.kill('SIGKILL');
  rmSync(cache, { recursive: true, force: true });
});

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

/** A process the service layer did not start. */
function stranger(): number {
  const p = spawn('sleep', ['60'], { stdio: 'ignore' });
  strangers.push(p);
  return p.pid!;
}

describe('launch, ownedPid and stopOwned', () => {
  it('stop exactly the process they started, and report it stopped', async () => {
    const pid = service.launch('svc-test', 'sleep', ['60']);
    expect(service.ownedPid('svc-test')).toBe(pid);
    expect(await service.stopOwned('svc-test', 2_000)).toBe(true);
    expect(alive(pid)).toBe(false);
    expect(service.ownedPid('svc-test')).toBeUndefined();
    expect(await service.stopOwned('svc-test')).toBe(false);
  });

  it('never stop a live process whose PID is recorded but whose command line differs (PID reuse)', async () => {
    const pid = stranger();
    mkdirSync(join(cache, 'run'), { recursive: true });
    const file = join(cache, 'run', 'reused.pid.json');
    writeFileSync(file, JSON.stringify({ pid, cmdline: 'java\0kafka.Kafka\0', startedAt: '2026-01-01T00:00:00Z' }));
    expect(service.ownedPid('reused')).toBeUndefined();
    expect(existsSync(file)).toBe(false); // the stale record is dropped
    expect(await service.stopOwned('reused')).toBe(false);
    expect(alive(pid)).toBe(true);
  });
});

/** The SetupError `fn` throws, as its message. */
function setupError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(service.SetupError);
    return (err as Error).message;
  }
  throw new Error('expected a SetupError');
}

describe('clear set-up errors', () => {
  it('names a missing tool and the fix', () => {
    expect(setupError(() => service.requireTool('streamhouse-no-such-tool', ['--version'], 'Install it with apt-get.'))).toBe(
      '"streamhouse-no-such-tool" is not installed or not on PATH. Install it with apt-get.',
    );
  });

  it('names a command that is missing, or that fails with its exit code and output tail', () => {
    expect(setupError(() => service.run('Building X', 'streamhouse-no-such-tool', []))).toBe(
      'Building X: "streamhouse-no-such-tool" is not installed or not on PATH. Install it and retry.',
    );
    expect(setupError(() => service.run('Building X', 'sh', ['-c', 'echo compiling; echo "error: disk full" >&2; exit 3']))).toBe(
      'Building X failed (sh exited with 3):\ncompiling\nerror: disk full',
    );
  });
});

describe('portOpen', () => {
  it('tells a listening port from a free one', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    expect(await service.portOpen('127.0.0.1', port)).toBe(true);
    await new Promise((r) => server.close(r));
    expect(await service.portOpen('127.0.0.1', port)).toBe(false);
  });
});
