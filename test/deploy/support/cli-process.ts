import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../../../deploy/local/paths.ts';

/** A running `node deploy/local/bootstrap.mjs ...`, with its output collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves once the output contains `text`; rejects on timeout or if the process exits first. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code and signal, or rejects after `timeoutMs`. */
  exit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const BOOTSTRAP = join(ROOT, 'deploy', 'local', 'bootstrap.mjs');

/** Starts bootstrap.mjs in its own process group, so that a test can send a Ctrl-C to the whole group. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BOOTSTRAP, ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal });
    }),
  );
  const withTimeout = <T>(p: Promise<T>, ms: number, what: string) => {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; output:\n${out}`)), ms);
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  };
  return {
    child,
    output: () => out,
    waitFor(text, timeoutMs) {
      const seen = new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) resolve();
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`exited before printing "${text}"; output:\n${out}`));
          else return;
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
      return withTimeout(seen, timeoutMs, `"${text}"`);
    },
    exit: (timeoutMs) => withTimeout(exited, timeoutMs, 'the process to exit'),
  };
}

/** Kills what is left of a CLI's process group (after a failed test). */
export function killGroup(cli: CliProcess): void {
  if (cli.child.pid === undefined || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  try {
    process.kill(-cli.child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Runs bootstrap.mjs to completion and returns its exit code and output. */
export function runCli(args: string[], timeoutMs = 120_000): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [BOOTSTRAP, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
