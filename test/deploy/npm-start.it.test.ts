import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../deploy/config.ts';
import { portOpen } from '../../deploy/local/services/service.ts';
import { freePort, killGroup, runCli, startCli, type CliProcess } from './support/cli-process.ts';

/**
 * `npm start` (node deploy/local/bootstrap.mjs start) against the running local services:
 * it reaches its running state, serves /healthz and /metrics, and stops cleanly on Ctrl-C
 * without stopping services it did not start. And `services up` is idempotent.
 */
const config = loadConfig();
let cli: CliProcess | undefined;

afterEach(() => {
  if (cli) killGroup(cli);
  cli = undefined;
});

/** name -> pid of each service `services status` reports as running. */
function runningPids(): Map<string, number> {
  const { status, output } = runCli(['services', 'status']);
  expect(status, output).toBe(0);
  return new Map([...output.matchAll(/^(\S+)\s+\S+\s+running \(pid (\d+)\)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

/** The value of a counter in a Prometheus text exposition, or undefined. */
function counter(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** The port the instance should serve on: the configured one (8088), or a free one if another process holds it. */
async function httpPort(): Promise<number> {
  return (await portOpen(config.http.host, config.http.port)) ? freePort() : config.http.port;
}

async function startAndCheck(): Promise<{ cli: CliProcess; base: string }> {
  const port = await httpPort();
  const started = startCli(['start'], { STREAMHOUSE_HTTP_PORT: String(port) });
  cli = started;
  // A first run may still have to install the node modules (npm ci).
  await started.waitFor('streamhouse is running', 240_000);
  const base = `http://${config.http.host}:${port}`;
  expect(started.output()).toContain(`metrics        ${base}/metrics`);

  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.text()).toBe('ok\n');

  // The demo produces and consumes: both counters move above zero.
  const deadline = Date.now() + 60_000;
  let text = '';
  for (;;) {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    text = await res.text();
    if ((counter(text, 'streamhouse_demo_produced_total') ?? 0) > 0 && (counter(text, 'streamhouse_demo_consumed_total') ?? 0) > 0) break;
    if (Date.now() > deadline) throw new Error(`the demo counters did not move within 60 s:\n${text}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(text).toContain('streamhouse_process_cpu_seconds_total');
  return { cli: started, base };
}

describe('npm start', () => {
  it('reaches the running state, serves /healthz and /metrics, and exits 0 on SIGINT', async () => {
    const before = runningPids();
    const { cli: running, base } = await startAndCheck();
    expect(running.output()).toMatch(/\[services\] kafka: already running on /);

    running.child.kill('SIGINT');
    const { code, signal } = await running.exit(60_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(running.output()).toContain('stopped.');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    // Services that were already running are left running, with the same processes.
    expect(runningPids()).toEqual(before);
  });

  it('stops cleanly when Ctrl-C reaches its whole process group', async () => {
    const { cli: running } = await startAndCheck();
    process.kill(-running.child.pid!, 'SIGINT');
    const { code, signal } = await running.exit(60_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(running.output()).toContain('stopping...');
    expect(running.output()).toContain('stopped.');
  });
});

describe('services up', () => {
  it('run again reports "already running" and does not start a second broker', () => {
    const before = runningPids();
    expect(before.get('kafka')).toBeGreaterThan(0);
    const { status, output } = runCli(['services', 'up']);
    expect(status, output).toBe(0);
    expect(output).toMatch(/\[services\] kafka: already running on 127\.0\.0\.1:9092/);
    expect(output).not.toMatch(/\[services\] kafka: started/);
    expect(runningPids().get('kafka')).toBe(before.get('kafka'));
  });
});
