/**
 * End-to-end latency of the medallion pipeline on the local services: live events are
 * produced to bronze at a fixed rate (kafkajs stamps each record with its send time); the
 * application (one KafkaStreams instance in this process, exactly-once by default) runs
 * every layer; a read_committed consumer of the gold topics measures, for probe orders sent
 * with the traffic (10 per second, see below), arrival in each gold topic − produce time.
 *
 * Reports p50/p99 per gold topic over the probes produced after the warm-up, the same per
 * 10 s slice of the run (a pipeline that falls behind shows a growing latency), and every
 * 5 s: bronze records offered and read by the gate, silver records read, the consumer lag,
 * the process CPU and the event-loop utilization, so the bottleneck shows.
 *
 *   NODE_OPTIONS=--max-semi-space-size=32 npx tsx benchmarks/medallion-latency.bench.ts [--rate 5000] [--seconds 40] [--warmup 10] [--drain 15]
 *     [--partitions 2] [--commit-interval 100] [--linger ms] [--guarantee exactly_once|at_least_once]
 *     [--traffic seeded|simulator] [--instances 1] [--profile file.cpuprofile]
 *
 * Heap: run it with `--max-semi-space-size=32` as `npm start` runs the platform (the summary
 * line names the flags it ran with); Node's default young generation costs about a quarter of
 * the capacity (runtime/task/README.md, "Tuning").
 * Start: the reference data (catalog, customer profiles) is sent first, and the live traffic
 * starts once the application has caught up with it (the time that takes is printed).
 * Traffic: `seeded` is the oracle's generator (`liveBatch`: about 30 % orders, with late,
 * duplicate and malformed events); `simulator` is `npm start`'s marketplace funnel as the bronze
 * bridge maps it (simulator-events.ts: about 1.3 % orders), with its catalog and profiles.
 * Instances: `--instances N` runs N − 1 more instances of the application in worker threads
 * (medallion-instance-worker.ts), each with its own event loop, sharing the tasks through the
 * consumer group; the CPU figures count every thread of the process.
 * Profile: `--profile F` writes a V8 CPU profile of the main thread (the first instance) for
 * the steady part of the run only, from the end of the warm-up to the end of production, so
 * that start-up, topic creation and the reference data loaded first do not show in it.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../deploy/config.ts';
import { KafkaStreams, StreamsBuilder, type ProcessingGuarantee } from '../runtime/index.ts';
import { simulatorRates } from '../topologies/app/live-traffic.ts';
import { deletePipelineTopics, ensurePipelineTopics } from '../topologies/app/pipeline-topics-admin.ts';
import { buildMedallion } from '../topologies/medallion.ts';
import { pipelineConfig } from '../topologies/pipeline-config.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const rate = arg('--rate', 5000);
const seconds = arg('--seconds', 40);
const warmup = arg('--warmup', 10);
const drain = arg('--drain', 15);
const partitions = arg('--partitions', 2);
const commitIntervalMs = arg('--commit-interval', 100);
const lingerMs = process.argv.includes('--linger') ? arg('--linger', 5) : undefined;
const instances = arg('--instances', 1);
const profileFile = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1]! : undefined;
const guarantee = (process.argv.includes('--guarantee') ? process.argv[process.argv.indexOf('--guarantee') + 1] : 'exactly_once') as ProcessingGuarantee;
const trafficKind = process.argv.includes('--traffic') ? process.argv[process.argv.indexOf('--traffic') + 1]! : 'seeded';
if (trafficKind !== 'seeded' && trafficKind !== 'simulator') throw new Error(`--traffic seeded|simulator, got ${trafficKind}`);
const brokers = loadConfig().kafka.brokers;
const id = `bench-medallion-${randomBytes(4).toString('hex')}`;
const config = pipelineConfig({ prefix: `${id}.`, ...(trafficKind === 'simulator' ? { rates: simulatorRates() } : {}) });
const topics = config.topics;
const kafka = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
// A loaded broker may answer the first metadata requests for new topics with UNKNOWN_TOPIC_OR_PARTITION.
for (let attempt = 1; ; attempt++) {
  const failed = await ensurePipelineTopics(admin, topics, partitions).then(() => false, (err: unknown) => (attempt === 5 ? Promise.reject(err) : true));
  if (!failed) break;
  await new Promise((r) => setTimeout(r, 1000 * attempt));
}
const builder = new StreamsBuilder();
buildMedallion(builder, config);
const stateDir = join(tmpdir(), id);
const topology = builder.build();
// The first start on fresh topics may meet a partition without a leader yet: start again.
async function startStreams(): Promise<KafkaStreams> {
  for (let attempt = 1; ; attempt++) {
    const s = new KafkaStreams(topology, { applicationId: id, bootstrapServers: brokers, processingGuarantee: guarantee, commitIntervalMs, httpEnabled: false, stateDir, ...(lingerMs === undefined ? {} : { lingerMs }) });
    const outcome = new Promise<string>((resolve) => s.setStateListener((next) => (next === 'RUNNING' || next === 'ERROR' ? resolve(next) : undefined)));
    const state = await s.start().then(() => outcome, () => 'ERROR');
    if (state === 'RUNNING') return s;
    await s.close().catch(() => undefined);
    if (attempt === 5) throw new Error('the application failed to start 5 times');
    await new Promise((r) => setTimeout(r, 1000 * attempt));
  }
}
const streams = await startStreams();
const bootOf = (file: string) => {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL(file, import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
};
const extra = await Promise.all(
  Array.from({ length: instances - 1 }, (_, i) =>
    new Promise<Worker>((resolve, reject) => {
      const w = new Worker(bootOf('./medallion-instance-worker.ts'), { eval: true, workerData: { applicationId: id, brokers, prefix: `${id}.`, rates: config.rates, stateDir: `${stateDir}-${i + 2}`, guarantee, commitIntervalMs } });
      w.once('message', (m: { kind: string }) => (m.kind === 'running' ? resolve(w) : reject(new Error(`instance ${i + 2}: ${m.kind}`))));
      w.once('error', reject);
    }),
  ),
);

// Gold records are aggregates (and sales carry event time), so latency is measured with
// probes: each 100 ms tick appends one order of a customer, category and channel of its own
// (`probe-<n>`, event time = now) to the bronze batch; the first gold record whose key names
// `probe-<n>` is its arrival in that topic. Producer and reader run in a worker thread
// (medallion-traffic-worker.ts), apart from the application's event loop.
const gold = [topics.salesPerformance, topics.channelPerformance, topics.features, topics.rfm];
const traffic = new Worker(bootOf('./medallion-traffic-worker.ts'), { eval: true, workerData: { brokers, id, bronzeTopic: topics.bronzeEvents, productsTopic: topics.products, customerChangesTopic: topics.customerChanges, goldTopics: gold, rate, seconds, traffic: trafficKind } });
let sent = 0;
let ready!: () => void;
const trafficReady = new Promise<void>((resolve) => (ready = resolve));
let produced!: () => void;
const producedAll = new Promise<void>((resolve) => (produced = resolve));
let result!: (r: { probes: [number, number][]; arrivals: [string, [number, number][]][] }) => void;
const results = new Promise<{ probes: [number, number][]; arrivals: [string, [number, number][]][] }>((resolve) => (result = resolve));
traffic.on('message', (m: { kind: string; events?: number; probes?: [number, number][]; arrivals?: [string, [number, number][]][] }) => {
  if (m.kind === 'ready') ready();
  else if (m.kind === 'sent') sent += m.events!;
  else if (m.kind === 'produced') produced();
  else if (m.kind === 'result') result({ probes: m.probes!, arrivals: m.arrivals! });
});
traffic.on('error', (err) => {
  console.error('traffic worker failed', err);
  process.exit(1);
});
// The worker posts 'ready' once its generator is warm and the reference data is sent. The
// live traffic starts once the application has caught up with that data (the catalog and about
// 49,000 customer changes for the simulator): a one-time backlog, timed apart, that would
// otherwise be worked off during the warm-up at the cost of the live events.
await trafficReady;
const CATCH_UP_MS = 120_000;
const caughtUp = await catchUp(CATCH_UP_MS);
console.log(
  caughtUp < CATCH_UP_MS
    ? `reference data: caught up in ${(caughtUp / 1000).toFixed(1)} s before the live traffic started`
    : `reference data: not caught up after ${CATCH_UP_MS / 1000} s; the live traffic starts anyway`,
);
traffic.postMessage('go');
const start = Date.now();
const steadyFrom = start + warmup * 1000;

// Progress every 5 s, from the instance's own metrics.
const counter = async (name: string, label: string, value: string): Promise<number> => {
  const metric = (await streams.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).filter((v) => (v.labels as Record<string, string>)[label] === value).reduce((n, v) => n + v.value, 0);
};
const lagOf = async (topic: string): Promise<number> => counter('streamhouse_consumer_lag_records', 'topic', topic);
const metricValue = async (name: string, suffix = ''): Promise<number> => {
  const metric = (await streams.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).filter((v) => (v as { metricName?: string }).metricName === undefined || (v as { metricName?: string }).metricName === `${name}${suffix}`).reduce((n, v) => n + v.value, 0);
};
let commits = { sum: 0, count: 0 };
let last = { t: performance.now(), cpu: process.cpuUsage(), sent: 0, bronze: 0, silver: 0 };
let elu = performance.eventLoopUtilization();
const progress = setInterval(() => {
  void (async () => {
    const bronze = await counter('streamhouse_records_consumed_total', 'topic', topics.bronzeEvents);
    const silver = await counter('streamhouse_records_consumed_total', 'topic', topics.silverEvents);
    const t = performance.now();
    const dt = (t - last.t) / 1000;
    const cpu = process.cpuUsage(last.cpu);
    const loop = performance.eventLoopUtilization(elu);
    elu = performance.eventLoopUtilization();
    const perS = (n: number) => Math.round(n / dt);
    const c = { sum: await metricValue('streamhouse_commit_latency_seconds', '_sum'), count: await metricValue('streamhouse_commit_latency_seconds', '_count') };
    const commitMs = c.count > commits.count ? Math.round(((c.sum - commits.sum) / (c.count - commits.count)) * 1000) : NaN;
    console.log(
      `t=${Math.round((Date.now() - start) / 1000)}s offered ${perS(sent - last.sent)}/s, gate read ${perS(bronze - last.bronze)}/s (lag ${await lagOf(topics.bronzeEvents)}), ` +
        `silver read ${perS(silver - last.silver)}/s, buffered ${await metricValue('streamhouse_buffered_records')}, commits ${perS(c.count - commits.count)}/s of ${commitMs} ms, ` +
        `cpu ${Math.round(((cpu.user + cpu.system) / 1e6 / dt) * 100)}%, event loop ${Math.round(loop.utilization * 100)}%, ${streams.state}`,
    );
    commits = c;
    last = { t, cpu: process.cpuUsage(), sent, bronze, silver };
  })();
}, 5000);

const cpuAtStart = process.cpuUsage();
const profiler = profileFile === undefined ? undefined : new Session();
const profiling = profiler === undefined ? undefined : new Promise((r) => setTimeout(r, warmup * 1000)).then(async () => {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
});
await producedAll;
if (profiler !== undefined) {
  await profiling;
  const { profile } = await profiler.post('Profiler.stop');
  await writeFile(profileFile!, JSON.stringify(profile));
  profiler.disconnect();
  console.log(`CPU profile of the steady run (main thread) written to ${profileFile}`);
}
const produceSeconds = (Date.now() - start) / 1000;
await new Promise((r) => setTimeout(r, drain * 1000));
clearInterval(progress);

traffic.postMessage('finish');
const { probes, arrivals } = await results;
const cpuUsed = process.cpuUsage(cpuAtStart);
const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
// With more than one instance the gate may run in another one: count the events offered instead.
const gateRead = instances > 1 ? sent : await counter('streamhouse_records_consumed_total', 'topic', topics.bronzeEvents);
console.log(`process CPU ${cpuSeconds.toFixed(1)} s for ${gateRead} bronze events ${instances > 1 ? 'offered' : 'read by the gate'}: ${Math.round(gateRead / cpuSeconds)} events per CPU-second (every thread: the instances, producer and reader worker); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const name = (topic: string) => topic.slice(id.length + 1);
console.log(`offered ${Math.round(sent / produceSeconds)} events/s (${sent} events in ${produceSeconds.toFixed(1)} s); ${guarantee}, commit interval ${commitIntervalMs} ms, linger ${lingerMs ?? 'default'}, ${partitions} partitions, ${trafficKind} traffic, ${instances} instance(s), heap flags: ${heapFlags()}`);
const sentAtOf = new Map(probes);
for (const [topic, arrived] of arrivals) {
  const seen = new Map(arrived);
  const steady: number[] = [];
  const slices = new Map<number, number[]>();
  let missing = 0;
  for (const [n, sentAt] of sentAtOf) {
    if (sentAt < steadyFrom) continue;
    const at = seen.get(n);
    if (at === undefined) {
      missing++;
      continue;
    }
    steady.push(at - sentAt);
    const slice = Math.floor((sentAt - steadyFrom) / 10_000);
    (slices.get(slice) ?? slices.set(slice, []).get(slice)!).push(at - sentAt);
  }
  const perSlice = [...slices].sort((a, b) => a[0] - b[0]).map(([, xs]) => `${pct(xs, 50)}/${pct(xs, 99)}`);
  console.log(`RESULT ${name(topic)}: ${steady.length} probes arrived, ${missing} not within ${drain} s after the end, p50 ${pct(steady, 50)} ms, p99 ${pct(steady, 99)} ms; per 10 s p50/p99: ${perSlice.join(' ')}`);
}
await traffic.terminate();
for (const w of extra) {
  await new Promise((r) => {
    w.once('message', r);
    w.postMessage('close');
  });
  await w.terminate();
}
await streams.close();
await deletePipelineTopics(admin, topics, id);
await admin.deleteGroups([id, `${id}-reader`]).catch(() => undefined);
await admin.disconnect();
for (let i = 0; i < instances; i++) await rm(i === 0 ? stateDir : `${stateDir}-${i + 1}`, { recursive: true, force: true });

/**
 * Waits until the application has no lag and nothing buffered, twice in a row; returns the ms it
 * took. Counts this instance's tasks only (not the global tables, nor `--instances` workers).
 */
async function catchUp(timeoutMs: number): Promise<number> {
  const from = Date.now();
  const sum = async (name: string) => ((await streams.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)?.values ?? []).reduce((n, v) => n + v.value, 0);
  for (let idle = 0; idle < 2 && Date.now() - from < timeoutMs; ) {
    await new Promise((r) => setTimeout(r, 500));
    idle = (await sum('streamhouse_consumer_lag_records')) === 0 && (await sum('streamhouse_buffered_records')) === 0 ? idle + 1 : 0;
  }
  return Date.now() - from;
}

/** The young generation's sizing as this process was started with (see runtime/task/README.md, "Tuning"). */
function heapFlags(): string {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter((a) => /^--max-(semi|old)-space-size=/.test(a));
  return flags.length === 0 ? "none (Node's default 16 MB semi-space)" : flags.join(' ');
}
