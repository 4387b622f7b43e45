import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProfileSummary } from './cpu-profile-summary.ts';
import type { Guarantee, Mode, RunResult, System } from './harness.ts';

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const HEADING = '## Runtime (pass-through, stateful count, Kafka Streams reference)';

/** Written below the tables: what the numbers mean (kept by hand, true of the design). */
const notes = (load: readonly [number, number] | undefined): string => `
Notes on reading these numbers:
- The machine's 2 cores are shared with the broker and with other agents' builds and tests
  (1-minute load average ${load === undefined ? 'not sampled' : `${load[0].toFixed(1)}-${load[1].toFixed(1)}`} during the run), so single runs vary by 2×; the ratio, measured on the
  same input minutes apart with alternating order, is the number to watch.
- The stateful count does the same work on both sides: both caches hold the count's updates
  and forward one record per key per commit (or on eviction), as Kafka Streams' record
  cache does, so both produce the same, deduplicated output, and the count latency of both
  follows the commit interval (1000 ms under at_least_once).
- exactly_once costs streamhouse one transaction per task per commit interval (kafkajs has no
  KIP-447, see runtime/task/README.md), six here against Kafka Streams' one per thread; the
  commits run behind the output while the tasks keep processing.
- The profile is mostly idle: the process waits for produce and fetch responses of the
  loaded broker; on the CPU side kafkajs (partitioning, record encoding) dominates, the
  engine's own code (tasks, stores, processors, serdes) is about 6 % of samples.
`;

export interface RuntimeSection {
  machine: string;
  node: string;
  java: string;
  records: number;
  keys: number;
  runs: number;
  modes: Mode[];
  guarantees: Guarantee[];
  systems: System[];
  results: Map<string, RunResult[]>;
  profile: ProfileSummary | undefined;
  /** Lowest and highest 1-minute load average sampled during the run. */
  loadAverage?: readonly [number, number];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Replaces the Runtime section of RESULTS.md (up to the next `## `) with this run's numbers. */
export function writeRuntimeSection(r: RuntimeSection): void {
  const lines: string[] = [HEADING, ''];
  lines.push(`Written by \`npx tsx benchmarks/runtime/runtime.bench.ts\` on ${new Date().toISOString().slice(0, 10)}.`);
  lines.push(`Machine: ${r.machine}, shared with other work. Node ${r.node}, kafkajs 2.2.4, classic-level 3.0.0; ${r.java}, Kafka Streams 4.3.1 (RocksDB);`);
  lines.push('broker: Apache Kafka 4.3.1, single node KRaft on the same machine.');
  lines.push(
    `Input: ${r.records.toLocaleString('en')} records (string keys over ${r.keys.toLocaleString('en')} keys, ~20-byte string values) already in a 6-partition topic;` +
      ' both systems read the same topic in the same run, one after the other (order alternating per run), one instance, one thread.',
  );
  lines.push(
    'Matched settings: processing guarantee (Kafka Streams `exactly_once_v2`), commit interval 1000 ms (ALOS) / 100 ms (EOS), cache 10 MiB,' +
      ' persistent cached store (count = DSL `groupByKey().count()`). Throughput = input records / time from RUNNING until the committed offsets reach the end of the input.' +
      ' Latency: 2,000 records/s for 5 s after catching up; receive time of a read_committed consumer minus the output record timestamp.',
  );
  lines.push(`Median of ${r.runs} runs.`, '');
  lines.push('| workload | guarantee | system | records/s | p50 latency (ms) | p99 latency (ms) | runs (records/s) |');
  lines.push('|---|---|---|---:|---:|---:|---|');
  const med = (sys: System, mode: Mode, g: Guarantee, f: (x: RunResult) => number) => {
    const runs = r.results.get(`${sys}/${mode}/${g}`) ?? [];
    return runs.length > 0 ? median(runs.map(f)) : NaN;
  };
  for (const mode of r.modes) {
    for (const g of r.guarantees) {
      for (const sys of r.systems) {
        const runs = r.results.get(`${sys}/${mode}/${g}`) ?? [];
        const name = mode === 'count' ? `stateful count, ${r.keys.toLocaleString('en')} keys` : 'stateless pass-through';
        lines.push(
          `| ${name} | ${g} | ${sys} | ${Math.round(med(sys, mode, g, (x) => x.recordsPerSecond)).toLocaleString('en')} | ${med(sys, mode, g, (x) => x.p50Ms)} | ${med(sys, mode, g, (x) => x.p99Ms)} | ${runs.map((x) => Math.round(x.recordsPerSecond)).join(', ')} |`,
        );
      }
    }
  }
  if (r.systems.includes('kafka-streams')) {
    lines.push('', 'Ratio streamhouse / Kafka Streams (throughput; goal ≥ 1.0):', '');
    lines.push('| workload | at_least_once | exactly_once |', '|---|---:|---:|');
    for (const mode of r.modes) {
      const ratio = (g: Guarantee) => (med('streamhouse', mode, g, (x) => x.recordsPerSecond) / med('kafka-streams', mode, g, (x) => x.recordsPerSecond)).toFixed(2);
      lines.push(`| ${mode === 'count' ? 'stateful count' : 'pass-through'} | ${ratio('at_least_once')} | ${ratio('exactly_once')} |`);
    }
  }
  if (r.profile) {
    const total = r.profile.byArea.reduce((a, [, ms]) => a + ms, 0);
    lines.push('', `Where streamhouse's time goes (node --cpu-prof of one stateful count run, at_least_once; ${Math.round(r.profile.totalMs)} ms profiled, self time):`, '');
    lines.push('| area | share |', '|---|---:|');
    for (const [area, ms] of r.profile.byArea) lines.push(`| ${area} | ${((100 * ms) / total).toFixed(1)} % |`);
    lines.push('', 'Hottest functions (self time):', '');
    lines.push('| function | share |', '|---|---:|');
    for (const [fn, ms] of r.profile.topFunctions) lines.push(`| \`${fn}\` | ${((100 * ms) / total).toFixed(1)} % |`);
  }
  lines.push(...notes(r.loadAverage).split('\n'));
  const text = readFileSync(RESULTS, 'utf8');
  const start = text.indexOf(HEADING);
  if (start < 0) throw new Error(`RESULTS.md has no "${HEADING}" section`);
  const next = text.indexOf('\n## ', start + HEADING.length);
  const end = next < 0 ? text.length : next + 1;
  writeFileSync(RESULTS, text.slice(0, start) + lines.join('\n') + '\n' + text.slice(end));
}
