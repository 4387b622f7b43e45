/**
 * State store write paths, side by side in one process: 100,000 keys, each updated
 * UPDATES_PER_KEY times in a shuffled order (a read-modify-write counter, as a count
 * aggregation does), with a commit (flush) every COMMIT_EVERY records.
 *
 *   level-put-per-record   classic-level: getSync + awaited db.put per record
 *   level-store            LevelKeyValueStore alone (writes buffered, batched at flush)
 *   logged-level-stack     changeLogging(LevelKeyValueStore): one changelog record per update
 *   cached-level-stack     caching(changeLogging(LevelKeyValueStore)), 10 MiB cache (the default;
 *                          smaller than the 100,000 keys, so it evicts)
 *   cached-level-stack-64MiB   the same with a cache that holds every key
 *   in-memory              InMemoryKeyValueStore
 *   cached-in-memory       caching(changeLogging(InMemoryKeyValueStore)), 10 MiB cache
 *
 * Then a tumbling 1-minute windowed count over 1,000 of the keys (window stores, with and
 * without the cache), and restoration of the same workload's changelog (500,000 records): batched through
 * `restoreAll`, one `restore()` per record, and into memory.
 *
 * A flush every 100,000 records is about a 1 s commit interval at 100k records/s; with
 * uniform keys about 37% of the updates within a commit hit a key already dirty.
 *
 * The machine is shared with other jobs, so besides wall-clock records/s the table gives
 * records per CPU-second of this process (all its threads), which load disturbs less.
 *
 * Each variant runs RUNS times (rounds interleave the variants) on a fresh directory;
 * the median records/s is reported,
 * with the changelog records the logged variants produced. Run: npx tsx benchmarks/state-store.bench.ts
 * (add --write to replace the "State stores" section of benchmarks/RESULTS.md).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { InMemoryKeyValueStore } from '../runtime/state/in-memory-key-value-store.ts';
import { decorateKeyValueBytesStore } from '../runtime/state/key-value-store-stack.ts';
import { LevelKeyValueStore } from '../runtime/state/level-key-value-store.ts';
import { restoreAll, type RestoreRecord } from '../runtime/state/batch-restore.ts';
import { CachingWindowStore } from '../runtime/state/caching-window-store.ts';
import { ChangeLoggingWindowStore } from '../runtime/state/change-logging-window-store.ts';
import { inMemoryWindowStore, persistentWindowStore } from '../runtime/state/segmented-window-store.ts';
import type { WindowStore } from '../runtime/state/window-store.ts';
import type { KeyValueStore, StateStoreContext } from '../runtime/state/state-store.ts';

const KEYS = 100_000;
const UPDATES_PER_KEY = 5;
const COMMIT_EVERY = 100_000;
const RUNS = 3;
const WARMUP_RECORDS = 50_000;

const keys = Array.from({ length: KEYS }, (_, i) => Buffer.from(`customer-${String(i).padStart(6, '0')}`));
const order = shuffled(Array.from({ length: KEYS * UPDATES_PER_KEY }, (_, i) => i % KEYS));

interface Outcome {
  seconds: number;
  /** CPU time of the whole process (all threads, LevelDB's included) during the run. */
  cpuSeconds: number;
  changelogRecords: number;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function increment(old: Buffer | undefined): Buffer {
  const value = Buffer.allocUnsafe(8);
  value.writeBigInt64BE((old === undefined ? 0n : old.readBigInt64BE(0)) + 1n);
  return value;
}

async function levelPutPerRecord(dir: string, limit = order.length): Promise<Outcome> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < limit; i++) {
    const key = keys[order[i]!]!;
    await db.put(key, increment(db.getSync(key)));
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  await db.close();
  return { seconds, cpuSeconds, changelogRecords: 0 };
}

async function viaStore(dir: string, make: () => KeyValueStore<Buffer, Buffer>, limit = order.length): Promise<Outcome> {
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
  const cpu = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  for (let i = 0; i < limit; i++) {
    const key = keys[order[i]!]!;
    store.put(key, increment(store.get(key)));
    if (++n % COMMIT_EVERY === 0) await store.flush();
  }
  await store.flush();
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  const check = store.get(keys[0]!)?.readBigInt64BE(0);
  if (limit === order.length && check !== BigInt(UPDATES_PER_KEY)) throw new Error(`wrong count ${check}`);
  await store.close();
  return { seconds, cpuSeconds, changelogRecords };
}

/** Restores the changelog of the workload (one record per update) in batches of 1000, as a restore consumer polls. */
async function restore(dir: string, make: () => KeyValueStore<Buffer, Buffer>, batched: boolean, limit = order.length): Promise<Outcome> {
  const context: StateStoreContext = { applicationId: 'bench', taskId: '0_0', partition: 0, stateDir: dir, logChange: () => undefined };
  const store = make();
  await store.init(context);
  const counts = new Map<number, number>();
  const batches: RestoreRecord[][] = [];
  for (let i = 0; i < limit; i += 1000) {
    batches.push(
      order.slice(i, Math.min(limit, i + 1000)).map((k) => {
        const n = (counts.get(k) ?? 0) + 1;
        counts.set(k, n);
        const value = Buffer.allocUnsafe(8);
        value.writeBigInt64BE(BigInt(n));
        return { key: keys[k]!, value };
      }),
    );
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  if (batched) await restoreAll(store, batches);
  else {
    for (const batch of batches) for (const r of batch) store.restore!(r.key, r.value);
    await store.flush();
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  if (limit === order.length && store.get(keys[0]!)?.readBigInt64BE(0) !== BigInt(UPDATES_PER_KEY)) throw new Error('wrong restore');
  await store.close();
  return { seconds, cpuSeconds, changelogRecords: 0 };
}

/**
 * A tumbling 1-minute windowed count: the same 500,000 updates, now over 1,000 keys with
 * event time advancing 10 ms per record (so about 6 updates per key and window), each a
 * fetch of the key's current window and a put, through change logging.
 */
async function windowed(dir: string, make: () => WindowStore<Buffer, Buffer>, limit = order.length): Promise<Outcome> {
  let changelogRecords = 0;
  let time = 0;
  const context: StateStoreContext = {
    applicationId: 'bench',
    taskId: '0_0',
    partition: 0,
    stateDir: dir,
    logChange: () => void changelogRecords++,
    currentTimestamp: () => time,
  };
  const store = make();
  await store.init(context);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < limit; i++) {
    time = 1_700_000_000_000 + i * 10;
    const windowStart = time - (time % 60_000);
    const key = keys[order[i]! % 1000]!;
    store.put(key, increment(store.fetch(key, windowStart)), windowStart);
    if ((i + 1) % COMMIT_EVERY === 0) await store.flush();
  }
  await store.flush();
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  await store.close();
  return { seconds, cpuSeconds, changelogRecords };
}

const WINDOW = { windowSize: 60_000, retentionMs: 60_000 + 48 * 3_600_000 };

const variants: Record<string, (dir: string, limit?: number) => Promise<Outcome>> = {
  'level-put-per-record': levelPutPerRecord,
  'level-store': (dir, limit) => viaStore(dir, () => new LevelKeyValueStore('counts'), limit),
  'logged-level-stack (no cache)': (dir, limit) => viaStore(dir, () => decorateKeyValueBytesStore(new LevelKeyValueStore('counts')), limit),
  'cached-level-stack': (dir, limit) => viaStore(dir, () => decorateKeyValueBytesStore(new LevelKeyValueStore('counts'), { caching: {} }), limit),
  'cached-level-stack-64MiB': (dir, limit) =>
    viaStore(dir, () => decorateKeyValueBytesStore(new LevelKeyValueStore('counts'), { caching: { maxBytes: 64 * 1024 * 1024 } }), limit),
  'in-memory': (dir, limit) => viaStore(dir, () => new InMemoryKeyValueStore('counts'), limit),
  'cached-in-memory': (dir, limit) => viaStore(dir, () => decorateKeyValueBytesStore(new InMemoryKeyValueStore('counts'), { caching: {} }), limit),
  'window: logged persistent (LevelDB)': (dir, limit) => windowed(dir, () => new ChangeLoggingWindowStore(persistentWindowStore('w', WINDOW)), limit),
  'window: cached logged persistent, 10 MiB': (dir, limit) =>
    windowed(dir, () => new CachingWindowStore(new ChangeLoggingWindowStore(persistentWindowStore('w', WINDOW))), limit),
  'window: logged in-memory': (dir, limit) => windowed(dir, () => new ChangeLoggingWindowStore(inMemoryWindowStore('w', WINDOW)), limit),
  'restore: level, batches (restoreAll)': (dir, limit) => restore(dir, () => new LevelKeyValueStore('counts'), true, limit),
  'restore: level, restore() per record': (dir, limit) => restore(dir, () => new LevelKeyValueStore('counts'), false, limit),
  'restore: in-memory, batches': (dir, limit) => restore(dir, () => new InMemoryKeyValueStore('counts'), true, limit),
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

// A short unmeasured pass per variant first, so that no variant pays for JIT warm-up.
for (const run of Object.values(variants)) {
  const dir = await mkdtemp(join(tmpdir(), 'streamhouse-bench-state-'));
  await run(dir, WARMUP_RECORDS).finally(() => rm(dir, { recursive: true, force: true }));
}

// Rounds interleave the variants, so that load from other jobs on the machine spreads
// over all of them rather than skewing one.
const rates = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
const cpuRates = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
const changelog = new Map<string, number>();
for (let r = 0; r < RUNS; r++) {
  for (const [name, run] of Object.entries(variants)) {
    const dir = await mkdtemp(join(tmpdir(), 'streamhouse-bench-state-'));
    try {
      const outcome = await run(dir);
      rates.get(name)!.push(order.length / outcome.seconds);
      cpuRates.get(name)!.push(order.length / outcome.cpuSeconds);
      changelog.set(name, outcome.changelogRecords);
      console.log(`round ${r + 1} ${name}: ${Math.round(order.length / outcome.seconds)} records/s, ${Math.round(order.length / outcome.cpuSeconds)} records/CPU-s`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const rows = [...rates].map(([name, xs]) => {
  const logged = changelog.get(name) ?? 0;
  const cpu = cpuRates.get(name)!;
  return `| ${name} | ${fmt(median(xs))} | ${xs.map(fmt).join(' / ')} | ${fmt(median(cpu))} | ${logged === 0 ? '-' : fmt(logged)} |`;
});

const section = [
  `Benchmark: \`npx tsx benchmarks/state-store.bench.ts --write\` (benchmarks/state-store.bench.ts).`,
  `${(KEYS * UPDATES_PER_KEY).toLocaleString('en-US')} read-modify-write updates over ${KEYS.toLocaleString('en-US')} keys (${UPDATES_PER_KEY} per key, shuffled), flush every ${COMMIT_EVERY.toLocaleString('en-US')} records; median of ${RUNS} runs.`,
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown'} (shared with other jobs: load average ${loadavg()[0]!.toFixed(1)} at the end); Node ${process.version}; classic-level 3.0.0; date ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| variant | records/s (median, wall clock) | runs | records per CPU-second (median) | changelog records |',
  '|---|---:|---|---:|---:|',
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
