import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Extra instances of the medallion application as child processes (`npm start --scale N`
 * starts N − 1 of them): each runs `streamhouse run --instance-only`, joins the same
 * consumer group and takes its share of the tasks. Each one's output is prefixed with
 * `[instance i]`. They run with this process's heap sizing flags (`--max-semi-space-size`,
 * `--max-old-space-size`; see runtime/task/README.md, "Tuning"). `stop` sends SIGINT to each
 * and waits until they have exited.
 */
export interface InstanceProcesses {
  readonly children: readonly ChildProcess[];
  stop(): Promise<void>;
}

const HEAP_FLAGS = process.execArgv.filter((a) => /^--max-(semi|old)-space-size=/.test(a));

export function startInstanceProcesses(count: number, cli: string): InstanceProcesses {
  const children = Array.from({ length: count }, (_, i) => {
    const child = spawn(process.execPath, [...HEAP_FLAGS, cli, 'run', '--instance-only'], { env: { ...process.env, STREAMHOUSE_HTTP_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = (d: Buffer) => d.toString().replace(/^(?=.)/gm, `[instance ${i + 2}] `);
    child.stdout!.on('data', (d: Buffer) => process.stdout.write(prefix(d)));
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(prefix(d)));
    return child;
  });
  return {
    children,
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGINT');
            }),
        ),
      );
    },
  };
}
