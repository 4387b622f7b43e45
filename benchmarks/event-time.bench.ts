/**
 * Event-time operators in process, side by side: N records through the
 * TopologyTestDriver (the same StreamTask as the Kafka runtime, minus the broker), with
 * in-memory stores, change logging on (changelog records go to the driver's in-memory
 * topics) and the platform default grace of 48 hours.
 *
 *   count                     groupByKey().count(), the non-windowed baseline (cached store)
 *   tumbling-1m onUpdate      windowedBy(tumbling 1 min).count(), a result per record
 *   tumbling-1m onWindowClose the same, final results only
 *   tumbling-1m onTime+corr   the same, on-time results and corrections
 *   hopping-5m/1m onUpdate    five windows per record
 *   stream-table join         orders ⋈ customers (1,000 rows loaded first)
 *   temporal join             orders ⋈ versioned customers (3 versions per key)
 *   stream-stream join 1m     orders ⋈ payments within 1 minute, inner
 *
 * Input: N records over 1,000 keys, event time advancing 10 ms per record, 10% of the
 * records up to 5 s out of order. Each variant runs RUNS times, rounds interleaved; the
 * table gives the median records/s (wall clock) and the runs.
 * Run: npx tsx benchmarks/event-time.bench.ts (add --write to fill the "Event time"
 * section of benchmarks/RESULTS.md).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { JoinWindows } from '../runtime/dsl/join-windows.ts';
import { StreamsBuilder } from '../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../runtime/errors/logger.ts';
import { LongSerde } from '../runtime/serde/long-serde.ts';
import { StringSerde } from '../runtime/serde/string-serde.ts';
import { TopologyTestDriver } from '../runtime/testing/topology-test-driver.ts';
import { TimeWindows } from '../runtime/windows/time-windows.ts';
import type { EmitMode } from '../runtime/windows/emit-mode.ts';

const N = Number(process.env.EVENT_TIME_BENCH_RECORDS ?? 100_000);
const KEYS = 1_000;
const RUNS = 3;
const STR = new StringSerde();
const LONG = new LongSerde();
const T0 = 1_700_000_000_000;

let seed = 42;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const input = Array.from({ length: N }, (_, i) => ({
  key: `c${Math.floor(random() * KEYS)}`,
  ts: T0 + i * 10 - (random() < 0.1 ? Math.floor(random() * 5_000) : 0),
}));

type Variant = {
  name: string;
  build: (b: StreamsBuilder) => void;
  prepare?: (d: TopologyTestDriver) => Promise<void>;
  second?: boolean;
};

const windowed = (name: string, windows: TimeWindows, emit: EmitMode): Variant => ({
  name,
  build: (b) =>
    b
      .stream('in', { keySerde: STR, valueSerde: LONG })
      .groupByKey()
      .windowedBy(windows)
      .emit(emit)
      .count()
      .toStream()
      .to('out', { valueSerde: LONG }),
});

const customers = async (d: TopologyTestDriver, versions: number): Promise<void> => {
  const t = d.createInputTopic('customers', STR, STR);
  for (let v = 0; v < versions; v++)
    for (let k = 0; k < KEYS; k++) await t.pipeInput(`c${k}`, `tier-${v}`, T0 - 1_000_000 + v * 100_000);
};

const variants: Variant[] = [
  {
    name: 'count (non-windowed baseline)',
    build: (b) =>
      b
        .stream('in', { keySerde: STR, valueSerde: LONG })
        .groupByKey()
        .count()
        .toStream()
        .to('out', { valueSerde: LONG }),
  },
  windowed('tumbling-1m onUpdate', TimeWindows.tumbling({ size: '1m' }), 'onUpdate'),
  windowed('tumbling-1m onWindowClose', TimeWindows.tumbling({ size: '1m' }), 'onWindowClose'),
  windowed('tumbling-1m onTimeWithCorrections', TimeWindows.tumbling({ size: '1m' }), 'onTimeWithCorrections'),
  windowed('hopping-5m/1m onUpdate', TimeWindows.hopping({ size: '5m', advance: '1m' }), 'onUpdate'),
  {
    name: 'stream-table join',
    build: (b) =>
      b
        .stream('in', { keySerde: STR, valueSerde: LONG })
        .join(b.table('customers', { keySerde: STR, valueSerde: STR }), (v, c) => `${v}:${c}`)
        .to('out', { valueSerde: STR }),
    prepare: (d) => customers(d, 1),
  },
  {
    name: 'temporal join (versioned table)',
    build: (b) =>
      b
        .stream('in', { keySerde: STR, valueSerde: LONG })
        .join(
          b.versionedTable('customers', { keySerde: STR, valueSerde: STR }, { historyRetention: '30d' }),
          (v, c) => `${v}:${c}`,
        )
        .to('out', { valueSerde: STR }),
    prepare: (d) => customers(d, 3),
  },
  {
    name: 'stream-stream join 1m (inner)',
    build: (b) => {
      const pay = b.stream('payments', { keySerde: STR, valueSerde: LONG });
      b.stream('in', { keySerde: STR, valueSerde: LONG })
        .join(pay, (o, p) => o + p, JoinWindows.of({ timeDifference: '1m' }))
        .to('out', { valueSerde: LONG });
    },
    second: true,
  },
];

async function runOnce(v: Variant): Promise<number> {
  const b = new StreamsBuilder();
  v.build(b);
  const d = await TopologyTestDriver.create(b.build(), {
    applicationId: 'bench',
    logger: silentLogger,
    defaultKeySerde: STR,
    defaultValueSerde: LONG as never,
  });
  await v.prepare?.(d);
  const topic = d.createInputTopic('in', STR, LONG);
  const other = v.second ? d.createInputTopic('payments', STR, LONG) : undefined;
  const start = process.hrtime.bigint();
  for (let i = 0; i < input.length; i++) {
    const r = input[i]!;
    const target = other !== undefined && i % 2 === 1 ? other : topic;
    const pending = target.pipeInput(r.key, i, r.ts);
    if (pending !== undefined) await pending;
  }
  await d.commit();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await d.close();
  return input.length / seconds;
}

const rates = new Map<string, number[]>(variants.map((v) => [v.name, []]));
for (let round = 0; round < RUNS; round++) {
  for (const v of variants) {
    const rate = await runOnce(v);
    rates.get(v.name)!.push(rate);
    console.log(`round ${round + 1} ${v.name}: ${Math.round(rate)} records/s`);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const section = [
  'Benchmark: `npx tsx benchmarks/event-time.bench.ts --write` (benchmarks/event-time.bench.ts).',
  `${N.toLocaleString('en-US')} records over ${KEYS.toLocaleString('en-US')} keys through the TopologyTestDriver (StreamTask in process, no broker), in-memory stores with change logging, grace 48 h; event time +10 ms per record, 10% up to 5 s out of order; median of ${RUNS} runs, rounds interleaved.`,
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown'} (shared with other jobs: load average ${loadavg()[0]!.toFixed(1)} at the end); Node ${process.version}; date ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| variant | records/s (median) | runs |',
  '|---|---:|---|',
  ...[...rates].map(([name, xs]) => `| ${name} | ${fmt(median(xs))} | ${xs.map(fmt).join(' / ')} |`),
].join('\n');
console.log(`\n${section}`);
if (process.argv.includes('--write'))
  await writeSection('Event time (windowed aggregation, stream-table join)', section);

/** Replaces the body of `## <title>` in RESULTS.md, leaving every other section alone. */
async function writeSection(title: string, body: string): Promise<void> {
  const file = new URL('./RESULTS.md', import.meta.url);
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(`## ${title}\n`);
  if (start < 0) throw new Error(`RESULTS.md has no section ${title}`);
  const bodyStart = start + `## ${title}\n`.length;
  const next = text.indexOf('\n## ', bodyStart);
  const end = next < 0 ? text.length : next + 1;
  await writeFile(file, `${text.slice(0, bodyStart)}\n${body}\n\n${text.slice(end)}`);
}
