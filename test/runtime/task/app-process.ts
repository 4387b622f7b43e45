import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('../../fixtures/count-app.ts', import.meta.url));

export interface AppProcessConfig {
  applicationId: string;
  brokers: string[];
  input: string;
  output: string;
  guarantee: 'at_least_once' | 'exactly_once';
  stateDir: string;
  commitIntervalMs?: number;
  values?: 'string' | 'json';
}

/**
 * One instance of test/fixtures/count-app.ts in its own Node process (node --import tsx,
 * so that the pid is the instance itself and `kill -9` really kills it).
 */
export class AppProcess {
  readonly child: ChildProcess;
  readonly states: string[] = [];
  private output = '';
  private readonly exited: Promise<number | null>;

  constructor(config: AppProcessConfig) {
    this.child = spawn(process.execPath, ['--import', 'tsx', APP], {
      env: { ...process.env, COUNT_APP: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString();
      for (const m of d.toString().matchAll(/STATE (\w+)/g)) this.states.push(m[1]!);
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Port of the instance's HTTP server (/metrics), once it has printed it. */
  get httpPort(): number | undefined {
    const m = /HTTP (\d+)/.exec(this.output);
    return m ? Number(m[1]) : undefined;
  }

  /** Waits until the instance has reported `state` (at least `times` times). */
  async waitFor(state: string, timeoutMs = 90_000, times = 1): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.states.filter((s) => s === state).length < times) {
      if (this.child.exitCode !== null) throw new Error(`instance exited (${this.child.exitCode}) before ${state}:\n${this.output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`instance not ${state} after ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM: a clean close; resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** kill -9: no close, no commit, no checkpoint. */
  async crash(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  get log(): string {
    return this.output;
  }
}
