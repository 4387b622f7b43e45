import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_CACHE, ROOT } from './paths.ts';
import { run, SetupError } from './services/service.ts';

/** The project-local Python with PyIceberg and pyarrow. */
export const VENV_PYTHON = join(PROJECT_CACHE, 'venv', 'bin', 'python');

/** Installs the tools that the test suite needs besides node modules and services. */
export async function ensureTestTools(): Promise<void> {
  ensurePythonVenv();
  ensureDockerCompose();
}

/** .cache/venv with deploy/local/requirements.txt; reinstalled when that file changes. */
export function ensurePythonVenv(): void {
  const reqs = join(ROOT, 'deploy', 'local', 'requirements.txt');
  const stamp = join(PROJECT_CACHE, 'venv', '.requirements.sha256');
  const want = createHash('sha256').update(readFileSync(reqs)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return;
  const python = process.env.PYTHON ?? 'python3';
  console.log('[setup] python: creating .cache/venv with PyIceberg...');
  if (!existsSync(VENV_PYTHON)) {
    run('Creating the Python venv', python, ['-m', 'venv', join(PROJECT_CACHE, 'venv')]);
  }
  run('Installing the Python test tools (pip)', VENV_PYTHON, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', reqs]);
  writeFileSync(stamp, want);
}

/** Debian's docker-compose 1.29, used only to validate deploy/docker-compose.yml. */
export function ensureDockerCompose(): void {
  if (!spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).error) return;
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  console.log('[setup] docker-compose: installing Debian package (to validate deploy/docker-compose.yml)...');
  const apt = (args: string[]) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    run(`apt-get ${args[0]}`, cmd!, rest, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    apt(['update', '-qq']);
    apt(['install', '-y', '-qq', 'docker-compose']);
  } catch (err) {
    throw new SetupError(`docker-compose is missing and could not be installed: ${(err as Error).message}\nInstall it with "apt-get install docker-compose" and retry.`);
  }
}
