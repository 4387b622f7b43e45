import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';

/*
 * One benchmark run: an application (streamhouse or the Kafka Streams reference) in its
 * own process consumes an input topic that already holds the records (throughput
 * phase: records / time from RUNNING until the group's committed offsets reach the end of
 * the input), then input arrives at a fixed rate and a read_committed consumer measures
 * end-to-end latency (receive time minus the output record's timestamp, which is the
 * input record's creation time; for the cached count, that of the key's last update).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const REFERENCE_DIR = join(ROOT, 'benchmarks', 'kafka-streams-reference');

export type System = 'streamhouse' | 'kafka-streams';
export type Mode = 'count' | 'passthrough';
export type Guarantee = 'at_least_once' | 'exactly_once';

export interface Settings {
  brokers: string[];
  mode: Mode;
  guarantee: Guarantee;
  commitIntervalMs: number;
  cacheMaxBytes: number;
  latencyRate: number;
  latencySeconds: number;
  /** Folder for a V8 CPU profile of the streamhouse process. */
  cpuProfileDir?: string;
}

export interface RunResult {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  latencySamples: number;
}

export function kafkaClient(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'bench-runtime', brokers, logLevel: logLevel.NOTHING });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Produces `count` records with keys drawn from `keys` distinct ones. */
export async function produceInput(kafka: Kafka, topic: string, count: number, keys: number, timestamps = false): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 }); // no duplicates on retries
  await producer.connect();
  const batch = 5000;
  for (let start = 0; start < count; start += batch) {
    const messages = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const k = Math.floor(Math.random() * keys);
      messages.push({ key: `key-${k}`, value: `value-${i}-${k}`, ...(timestamps ? { timestamp: String(Date.now()) } : {}) });
    }
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

/** Creates a topic and waits until every partition has a leader (metadata right after a create may still say unknown). */
export async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  await retrying(() => admin.createTopics({ topics: [{ topic, numPartitions: partitions }] }), 5);
  for (let attempt = 0; ; attempt++) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      if (topics[0]?.partitions.length === partitions && topics[0].partitions.every((p) => p.leader >= 0)) return;
    } catch (err) {
      if (attempt > 100) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Retries an admin call that the loaded broker may answer with a transient metadata error. */
export async function retrying<T>(call: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  return new Map((await retrying(() => admin.fetchTopicOffsets(topic))).map((p) => [p.partition, BigInt(p.high)]));
}

function startApp(system: System, s: Settings, appId: string, input: string, output: string, stateDir: string): ChildProcess {
  const args = [s.brokers.join(','), appId, input, output, s.guarantee, String(s.commitIntervalMs), String(s.cacheMaxBytes), stateDir, s.mode];
  if (system === 'kafka-streams') {
    const cp = `${join(REFERENCE_DIR, 'target', 'classes')}:${join(REFERENCE_DIR, 'target', 'lib', '*')}`;
    return spawn('java', ['-Xms512m', '-Xmx1g', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', cp, 'dev.streamhouse.bench.CountApp', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  const prof = s.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${s.cpuProfileDir}`] : [];
  return spawn(process.execPath, [...prof, '--import', 'tsx', join(ROOT, 'benchmarks', 'runtime', 'streamhouse-app.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
}

function waitForState(child: ChildProcess, state: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`not ${state} after ${timeoutMs} ms:\n${log.slice(-2000)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes(`STATE ${state}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before ${state}:\n${log.slice(-2000)}`)));
  });
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Runs one application over `input` (already filled) and measures it. */
export async function runApp(kafka: Kafka, admin: Admin, system: System, s: Settings, input: string, prefix: string): Promise<RunResult> {
  const appId = `${prefix}-${system}`;
  const output = `${appId}-out`;
  await createTopic(admin, output, 6);
  const stateDir = mkdtempSync(join(tmpdir(), `bench-${system}-`));
  const ends = await endOffsets(admin, input);
  const records = Number([...ends.values()].reduce((a, b) => a + b, 0n));
  const child = startApp(system, s, appId, input, output, stateDir);
  try {
    await waitForState(child, 'RUNNING', 120_000);
    const t0 = performance.now();
    for (;;) {
      const committed = (await retrying(() => admin.fetchOffsets({ groupId: appId, topics: [input] })))[0]!.partitions;
      if (committed.every((p) => BigInt(p.offset) >= (ends.get(p.partition) ?? 0n))) break;
      if (performance.now() - t0 > 600_000) throw new Error(`${system} did not finish in 10 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    const latencies = await measureLatency(kafka, s, input, output);
    latencies.sort((a, b) => a - b);
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return { records, seconds, recordsPerSecond: records / seconds, p50Ms: pick(0.5), p99Ms: pick(0.99), latencySamples: latencies.length };
  } finally {
    await stopApp(child);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function measureLatency(kafka: Kafka, s: Settings, input: string, output: string): Promise<number[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('bench-latency'), readUncommitted: false, maxWaitTimeInMs: 10 });
  const latencies: number[] = [];
  let phaseStart = Number.POSITIVE_INFINITY;
  let lastSeen = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topic: output, fromBeginning: false });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        const ts = Number(m.timestamp);
        if (ts >= phaseStart) latencies.push(now - ts);
      }
      lastSeen = now;
    },
  });
  await joined;
  await new Promise((r) => setTimeout(r, 1000));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 }); // no duplicates on retries
  await producer.connect();
  phaseStart = Date.now();
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((s.latencyRate * tickMs) / 1000));
  const ticks = Math.round((s.latencySeconds * 1000) / tickMs);
  for (let t = 0; t < ticks; t++) {
    const due = phaseStart + t * tickMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const messages = [];
    for (let i = 0; i < perTick; i++) {
      const k = Math.floor(Math.random() * 100_000);
      messages.push({ key: `key-${k}`, value: `late-${t}-${i}`, timestamp: String(Date.now()) });
    }
    await producer.send({ topic: input, messages });
  }
  await producer.disconnect();
  const quiet = Math.max(5000, 3 * s.commitIntervalMs);
  const expected = s.mode === 'passthrough' ? perTick * ticks : Number.POSITIVE_INFINITY;
  while (latencies.length < expected && Date.now() - lastSeen < quiet) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return latencies;
}
