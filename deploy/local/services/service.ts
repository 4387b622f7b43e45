import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { PlatformConfig } from '../../config.ts';
import { LOG_DIR, RUN_DIR } from '../paths.ts';

/** A local service that `services:up` installs, starts and probes. */
export interface LocalService {
  readonly name: string;
  /** host:port that must be free before start and that answers once started. */
  readonly address: (config: PlatformConfig) => { host: string; port: number };
  /** Installs what is missing. Idempotent and cached; throws SetupError with the fix. */
  install(config: PlatformConfig): Promise<void>;
  /** Spawns the process (through `launch`) and returns its PID. */
  start(config: PlatformConfig): Promise<number>;
  /** Resolves true once the service answers requests. */
  ready(config: PlatformConfig): Promise<boolean>;
  /** Work after the service answers, such as creating the bucket. Idempotent. */
  afterStart?(config: PlatformConfig): Promise<void>;
  /** How long `ready` may take after start. */
  readonly startTimeoutMs: number;
}

/** A set-up failure with one clear message that names the problem and the fix. */
export class SetupError extends Error {
  override name = 'SetupError';
}

export interface PidRecord {
  pid: number;
  /** /proc/<pid>/cmdline at start, to tell our process from a later one with the same PID. */
  cmdline: string;
  startedAt: string;
}

export function logFile(name: string): string {
  return join(LOG_DIR, `${name}.log`);
}

function pidFile(name: string): string {
  return join(RUN_DIR, `${name}.pid.json`);
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The PID this project started for `name`, if that very process is still alive. */
export function ownedPid(name: string): number | undefined {
  const file = pidFile(name);
  if (!existsSync(file)) return undefined;
  const rec = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  if (cmdlineOf(rec.pid) === rec.cmdline) return rec.pid;
  rmSync(file, { force: true }); // stale: the process is gone or the PID was reused
  return undefined;
}

/** Starts a detached process in its own process group, logging to the cache folder. */
export function launch(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): number {
  mkdirSync(LOG_DIR, { recursive: true });
  mkdirSync(RUN_DIR, { recursive: true });
  const out = openSync(logFile(name), 'a');
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  closeSync(out);
  if (child.pid === undefined) throw new SetupError(`${name}: could not start ${command}`);
  child.unref();
  // /proc/<pid>/cmdline is filled in after exec; wait until it names the command. Before
  // exec the child still shows our own command line, which may name the same tool (tsx),
  // and a "#!/usr/bin/env node" script shows env's command line until env execs node.
  const own = cmdlineOf(process.pid);
  const pending = (c: string) => c === own || c.startsWith('/usr/bin/env\0') || !c.includes(command.split('/').pop()!);
  let cmdline = '';
  for (let i = 0; i < 200 && pending(cmdline); i++) {
    cmdline = cmdlineOf(child.pid) ?? '';
    if (pending(cmdline)) spawnSync('sleep', ['0.01']);
  }
  const rec: PidRecord = { pid: child.pid, cmdline, startedAt: new Date().toISOString() };
  writeFileSync(pidFile(name), JSON.stringify(rec));
  return child.pid;
}

/** Stops a process this project started: SIGTERM to its group, SIGKILL after a grace period. */
export async function stopOwned(name: string, graceMs = 15_000): Promise<boolean> {
  const pid = ownedPid(name);
  if (pid === undefined) return false;
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (cmdlineOf(pid) !== undefined && Date.now() < deadline) await sleep(100);
  if (cmdlineOf(pid) !== undefined) signalGroup('SIGKILL');
  while (cmdlineOf(pid) !== undefined) await sleep(50);
  rmSync(pidFile(name), { force: true });
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs a command to completion, throwing SetupError with its output tail on failure. */
export function run(what: string, command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(command, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new SetupError(`${what}: "${command}" is not installed or not on PATH. Install it and retry.`);
  }
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new SetupError(`${what} failed (${command} exited with ${r.status}):\n${tail}`);
  }
  return r.stdout;
}

/** Fails with a clear message when a required tool is missing. */
export function requireTool(tool: string, versionArgs: string[], fix: string): void {
  const r = spawnSync(tool, versionArgs, { encoding: 'utf8' });
  if (r.error) throw new SetupError(`"${tool}" is not installed or not on PATH. ${fix}`);
}

/** The last lines of a service's log, for error messages. */
export function logTail(name: string, lines = 20): string {
  try {
    return readFileSync(logFile(name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
