/**
 * The set-up behind `npm start`, `npm test` and `npm run services:*` (called by
 * bootstrap.mjs once the node modules are installed).
 *
 *   services up|down|status   manage the local services
 *   start                     services up, then run the platform until Ctrl-C
 *   test [vitest args]        services up and tools, run the whole suite, stop what it started
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type PlatformConfig } from '../config.ts';
import { PROJECT_CACHE, ROOT } from './paths.ts';
import { down, status, up } from './services/manager.ts';
import { SetupError } from './services/service.ts';
import { ensureTestTools } from './tools.ts';

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const [command, ...rest] = argv;
  switch (command) {
    case 'services':
      return services(config, rest[0]);
    case 'start':
      return start(config, rest);
    case 'test':
      return test(config, rest);
    default:
      console.error('usage: main.ts services up|down|status | start | test [vitest args]');
      return 2;
  }
}

async function services(config: PlatformConfig, action: string | undefined): Promise<number> {
  if (action === 'up') {
    await up(config);
  } else if (action === 'down') {
    await down(config);
  } else if (action === 'status') {
    for (const row of await status(config)) {
      const who = row.state === 'running' ? `running (pid ${row.pid})` : row.state === 'foreign' ? 'port in use by another process' : 'stopped';
      console.log(`${row.name.padEnd(13)} ${row.address.padEnd(16)} ${who.padEnd(32)} ${row.log}`);
    }
  } else {
    console.error('usage: services up|down|status');
    return 2;
  }
  return 0;
}

/** Runs a child until it exits; Ctrl-C is passed on to it. */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    // Ctrl-C reaches every process in the terminal's group and is also forwarded down the
    // chain, so it may arrive more than once. The handler stays registered after the child
    // exits: a late duplicate must not kill this process during the clean-up that follows.
    const forward = (sig: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    };
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
}

async function start(config: PlatformConfig, args: string[]): Promise<number> {
  const started = await up(config);
  try {
    // `node --import tsx`, not the tsx CLI: one process, so no tsx signal relay in between.
    // A 32 MB young-generation semi-space, as the `streamhouse` command and the Docker image
    // run it (runtime/task/README.md, "Tuning"); `--scale` instances inherit it.
    return await runChild(process.execPath, ['--max-semi-space-size=32', '--import', import.meta.resolve('tsx'), join(ROOT, 'bin', 'streamhouse.ts'), 'run', ...args]);
  } finally {
    await down(config, started);
  }
}

async function test(config: PlatformConfig, args: string[]): Promise<number> {
  const t0 = performance.now();
  await ensureTestTools();
  const started = await up(config);
  console.log(`[test] set-up took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const report = join(PROJECT_CACHE, 'vitest-report.json');
    const code = await runChild(join(ROOT, 'node_modules', '.bin', 'vitest'), [
      'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args,
    ]);
    printSummary(report);
    return code;
  } finally {
    await down(config, started);
    console.log(`[test] total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/** One plain closing line that any CI log reader understands: `tests: N passed, N failed, N skipped`. */
function printSummary(report: string): void {
  if (!existsSync(report)) return;
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof SetupError || err instanceof ConfigError) {
      console.error(`\nstreamhouse: ${err.message}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  },
);
