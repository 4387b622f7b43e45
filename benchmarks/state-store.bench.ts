/**
 * State store write paths, side by side in one process: 100,000 keys, each updated
 * UPDATES_PER_KEY times in a shuffled order (a read-modify-write counter, as a count
 * aggregation does), with a commit (flush) every COMMIT_EVERY records.
 *
 *   level-put-per-record   classic-level: getSync + awaited db.put per record
 *   level-store            LevelKeyValueStore alone (writes buffered, batched at flush)
 *   cached-level-stack     caching(changeLogging(LevelKeyValueStore)), 10 MiB cache (the default;
 *                          smaller than the 100,000 keys, so it evicts)
 *   cached-level-stack-64MiB   the same with a cache that holds every key
 *   in-memory              InMemoryKeyValueStore
 *   cached-in-memory       caching(changeLogging(InMemoryKeyValueStore)), 10 MiB cache
 *
 * A flush every 100,000 records is about a 1 s commit interval at 100k records/s; with
 * uniform keys about 37% of the updates within a commit hit a key already dirty.
 *
 * Each variant runs RUNS times (rounds interleave the variants) on a fresh directory;
 * the median records/s is reported,
 * with the changelog records the logged variants produced. Run: npx tsx benchmarks/state-store.bench.ts
 * (add --write to replace the "State stores" section of benchmarks/RESULTS.md).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { InMemoryKeyValueStore } from '../runtime/state/in-memory-key-value-store.ts';
import { decorateKeyValueBytesStore } from '../runtime/state/key-value-store-stack.ts';
import { LevelKeyValueStore } from '../runtime/state/level-key-value-store.ts';
import type { KeyValueStore, StateStoreContext } from '../runtime/state/state-store.ts';

const KEYS = 100_000;
const UPDATES_PER_KEY = 5;
const COMMIT_EVERY = 100_000;
const RUNS = 3;

const keys = Array.from({ length: KEYS }, (_, i) => Buffer.from(`customer-${String(i).padStart(6, '0')}`));
const order = shuffled(Array.from({ length: KEYS * UPDATES_PER_KEY }, (_, i) => i % KEYS));

interface Outcome {
  seconds: number;
  changelogRecords: number;
}

function increment(old: Buffer | undefined): Buffer {
  const value = Buffer.allocUnsafe(8);
  value.writeBigInt64BE((old === undefined ? 0n : old.readBigInt64BE(0)) + 1n);
  return value;
}

async function levelPutPerRecord(dir: string): Promise<Outcome> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const start = performance.now();
  for (const k of order) await db.put(keys[k]!, increment(db.getSync(keys[k]!)));
  const seconds = (performance.now() - start) / 1000;
  await db.close();
  return { seconds, changelogRecords: 0 };
}

async function viaStore(dir: string, make: () => KeyValueStore<Buffer, Buffer>): Promise<Outcome> {
  let changelogRecords = 0;
  const context: StateStoreContext = {
    applicationId: 'bench',
    taskId: '0_0',
    partition: 0,
    stateDir: dir,
    logChange: () => void changelogRecords++,
  };
  const store = make();
  await store.init(context);
  const start = performance.now();
  let n = 0;
  for (const k of order) {
    store.put(keys[k]!, increment(store.get(keys[k]!)));
    if (++n % COMMIT_EVERY === 0) await store.flush();
  }
  await store.flush();
  const seconds = (performance.now() - start) / 1000;
  const check = store.get(keys[0]!)?.readBigInt64BE(0);
  if (check !== BigInt(UPDATES_PER_KEY)) throw new Error(`wrong count ${check}`);
  await store.close();
  return { seconds, changelogRecords };
}

const variants: Record<string, (dir: string) => Promise<Outcome>> = {
  'level-put-per-record': levelPutPerRecord,
  'level-store': (dir) => viaStore(dir, () => new LevelKeyValueStore('counts')),
  'cached-level-stack': (dir) => viaStore(dir, () => decorateKeyValueBytesStore(new LevelKeyValueStore('counts'), { caching: {} })),
  'cached-level-stack-64MiB': (dir) =>
    viaStore(dir, () => decorateKeyValueBytesStore(new LevelKeyValueStore('counts'), { caching: { maxBytes: 64 * 1024 * 1024 } })),
  'in-memory': (dir) => viaStore(dir, () => new InMemoryKeyValueStore('counts')),
  'cached-in-memory': (dir) => viaStore(dir, () => decorateKeyValueBytesStore(new InMemoryKeyValueStore('counts'), { caching: {} })),
};

function shuffled(items: number[]): number[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Rounds interleave the variants, so that load from other jobs on the machine spreads
// over all of them rather than skewing one.
const rates = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
const changelog = new Map<string, number>();
for (let r = 0; r < RUNS; r++) {
  for (const [name, run] of Object.entries(variants)) {
    const dir = await mkdtemp(join(tmpdir(), 'streamhouse-bench-state-'));
    try {
      const outcome = await run(dir);
      rates.get(name)!.push(order.length / outcome.seconds);
      changelog.set(name, outcome.changelogRecords);
      console.log(`round ${r + 1} ${name}: ${Math.round(order.length / outcome.seconds)} records/s`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const rows = [...rates].map(([name, xs]) => {
  const logged = changelog.get(name) ?? 0;
  return `| ${name} | ${fmt(median(xs))} | ${xs.map(fmt).join(' / ')} | ${logged === 0 ? '-' : fmt(logged)} |`;
});

const section = [
  `Benchmark: \`npx tsx benchmarks/state-store.bench.ts --write\` (benchmarks/state-store.bench.ts).`,
  `${(KEYS * UPDATES_PER_KEY).toLocaleString('en-US')} read-modify-write updates over ${KEYS.toLocaleString('en-US')} keys (${UPDATES_PER_KEY} per key, shuffled), flush every ${COMMIT_EVERY.toLocaleString('en-US')} records; median of ${RUNS} runs.`,
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown'} (shared with other jobs); Node ${process.version}; classic-level 3.0.0; date ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| variant | records/s (median) | runs | changelog records |',
  '|---|---:|---|---:|',
  ...rows,
].join('\n');
console.log(`\n${section}`);
if (process.argv.includes('--write')) await writeSection('State stores', section);

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
