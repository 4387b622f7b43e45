/**
 * The runtime benchmark: stateless pass-through and stateful count over 100,000 keys,
 * under at_least_once and exactly_once, for streamhouse and for Kafka Streams 4.3.1
 * (benchmarks/kafka-streams-reference, built first with `mvn -q package`), on the same
 * input topic in the same run. Writes medians, ratios and a CPU profile summary of
 * streamhouse to the "Runtime" section of benchmarks/RESULTS.md.
 *
 *   npx tsx benchmarks/runtime/runtime.bench.ts [--runs 3] [--records 300000] [--no-reference] [--no-write]
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../deploy/config.ts';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile-summary.ts';
import { createTopic, kafkaClient, produceInput, retrying, REFERENCE_DIR, runApp, uniqueName, type Guarantee, type Mode, type RunResult, type Settings, type System } from './harness.ts';
import { writeRuntimeSection } from './results-writer.ts';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    records: { type: 'string', default: '300000' },
    keys: { type: 'string', default: '100000' },
    'no-reference': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    modes: { type: 'string', default: 'count,passthrough' },
    guarantees: { type: 'string', default: 'at_least_once,exactly_once' },
  },
});
const runs = Number(opts.runs);
const records = Number(opts.records);
const keys = Number(opts.keys);
const brokers = loadConfig().kafka.brokers;
const modes = opts.modes!.split(',') as Mode[];
const guarantees = opts.guarantees!.split(',') as Guarantee[];
const systems: System[] = opts['no-reference'] ? ['streamhouse'] : ['streamhouse', 'kafka-streams'];
if (systems.includes('kafka-streams') && !existsSync(join(REFERENCE_DIR, 'target', 'lib'))) {
  execSync('mvn -q -B package', { cwd: REFERENCE_DIR, stdio: 'inherit' });
}

/** Matched on both sides: guarantee, commit interval, cache size; stores are persistent (LevelDB / RocksDB), cached. */
const settingsFor = (mode: Mode, guarantee: Guarantee): Settings => ({
  brokers,
  mode,
  guarantee,
  commitIntervalMs: guarantee === 'exactly_once' ? 100 : 1000,
  cacheMaxBytes: 10 * 1024 * 1024,
  latencyRate: 2000,
  latencySeconds: 5,
});

// The machine is shared: sample the 1-minute load average for the results.
const loads: number[] = [loadavg()[0]!];
const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 5_000);
loadTimer.unref();

const kafka = kafkaClient(brokers);
const admin = kafka.admin();
await admin.connect();
const results = new Map<string, RunResult[]>();
const key = (sys: System, mode: Mode, g: Guarantee) => `${sys}/${mode}/${g}`;

async function withInput<T>(mode: Mode, g: Guarantee, body: (input: string, prefix: string) => Promise<T>): Promise<T> {
  const prefix = uniqueName(`bench-rt-${mode === 'count' ? 'cnt' : 'pt'}-${g === 'exactly_once' ? 'eos' : 'alos'}`);
  const input = `${prefix}-in`;
  await createTopic(admin, input, 6);
  try {
    await produceInput(kafka, input, records, keys);
    return await body(input, prefix);
  } finally {
    const doomed = (await retrying(() => admin.listTopics())).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics: doomed }).catch(() => undefined);
  }
}

// Each (run, workload) is one pair of measurements on one input; a pair that fails (the
// shared broker is sometimes slow to answer metadata) is tried again, up to 3 times.
for (let run = 0; run < runs; run++) {
  for (const mode of modes) {
    for (const g of guarantees) {
      for (let attempt = 1; ; attempt++) {
        try {
          const pair = await withInput(mode, g, async (input, prefix) => {
            const order = run % 2 === 0 ? systems : [...systems].reverse();
            const measured: [System, RunResult][] = [];
            for (const sys of order) measured.push([sys, await runApp(kafka, admin, sys, settingsFor(mode, g), input, prefix)]);
            return measured;
          });
          for (const [sys, r] of pair) {
            (results.get(key(sys, mode, g)) ?? results.set(key(sys, mode, g), []).get(key(sys, mode, g))!).push(r);
            console.log(`run ${run + 1} ${sys} ${mode} ${g}: ${Math.round(r.recordsPerSecond)} rec/s over ${r.records} in ${r.seconds.toFixed(1)} s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.latencySamples} samples)`);
          }
          break;
        } catch (err) {
          console.log(`run ${run + 1} ${mode} ${g} attempt ${attempt} failed: ${(err as Error).message.split('\n')[0]}`);
          if (attempt >= 3) throw err;
        }
      }
    }
  }
}

let profile: ProfileSummary | undefined;
if (!opts['no-profile']) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'));
  await withInput('count', 'at_least_once', (input, prefix) => runApp(kafka, admin, 'streamhouse', { ...settingsFor('count', 'at_least_once'), cpuProfileDir: dir }, input, prefix));
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file) profile = summarizeCpuProfile(join(dir, file));
}
await admin.disconnect();

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`;
const java = systems.includes('kafka-streams') ? execSync('java -version 2>&1').toString().split('\n')[0]!.trim() : 'n/a';
clearInterval(loadTimer);
const loadAverage = [Math.min(...loads), Math.max(...loads)] as const;
const section = { machine, node: process.version, java, records, keys, runs, results, modes, guarantees, systems, profile, loadAverage };
console.log(JSON.stringify({ ...section, results: Object.fromEntries(results) }, null, 1));
if (!opts['no-write']) writeRuntimeSection(section);
