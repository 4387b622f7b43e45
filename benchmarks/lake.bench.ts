/**
 * The lake: Parquet writers side by side, the table-write path, and compaction.
 *
 * npx tsx benchmarks/lake.bench.ts (add --write to replace the "Lake" section of
 * benchmarks/RESULTS.md). The table parts need the object store; they run their own
 * catalog in-process on a free port with a temporary SQLite file.
 *
 * 1. Parquet encoders on an event-like schema (8 columns: long, strings, decimal,
 *    timestamptz, int): hyparquet-writer through connectors/iceberg (with the column
 *    metrics the manifests need) against parquet-wasm (Arrow JS table → IPC → wasm).
 *    Both write SNAPPY; reported are rows/s, file size, and whether the Parquet schema
 *    carries the Iceberg field ids (read back with hyparquet).
 * 2. Table writes per process: Avro-shaped JSON records → rows → Parquet on S3 →
 *    snapshot commit through the REST catalog, in batches as the sink commits them.
 * 3. Compaction: many small commits, then `compact`; file count and sizes before/after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Int32, Int64, Schema, Table as ArrowTable, TimestampMicrosecond, Utf8, Decimal, tableToIPC, vectorFromArray, makeData, Vector } from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import * as wasm from 'parquet-wasm/node';
import { loadConfig } from '../deploy/config.ts';
import { startCatalog } from '../connectors/iceberg/catalog/start-catalog.ts';
import { RestCatalogClient } from '../connectors/iceberg/client/rest-catalog-client.ts';
import { S3FileIO } from '../connectors/iceberg/io/file-io.ts';
import { writeParquet } from '../connectors/iceberg/internal/parquet-file.ts';
import { compact } from '../connectors/iceberg/maintenance/compact.ts';
import { currentSchema, currentSnapshot, defaultSpec } from '../connectors/iceberg/metadata/table-metadata.ts';
import { avroToIceberg, type AvroSchema } from '../connectors/iceberg/schema/avro-to-iceberg.ts';
import { avroRowConverter } from '../connectors/iceberg/schema/avro-values.ts';
import { commitSnapshot } from '../connectors/iceberg/table/commit-snapshot.ts';
import { writeDataFiles } from '../connectors/iceberg/table/data-writer.ts';
import { ensureTable } from '../connectors/iceberg/table/ensure-table.ts';
import { liveFiles } from '../connectors/iceberg/table/scan.ts';

const RUNS = 3;
const ROWS = 200_000;
const TABLE_ROWS = 300_000;
const SMALL_COMMITS = 20;
const SMALL_ROWS = 5_000;
const T0 = Date.UTC(2026, 10, 1);

const EVENT: AvroSchema = {
  type: 'record',
  name: 'Event',
  fields: [
    { name: 'event_id', type: 'long' },
    { name: 'user_id', type: 'string' },
    { name: 'session_id', type: 'string' },
    { name: 'event_type', type: 'string' },
    { name: 'page', type: 'string' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'quantity', type: 'int' },
  ],
};
const TYPES = ['view', 'click', 'add_to_cart', 'purchase'];
const event = (i: number) => ({
  event_id: i,
  user_id: `user-${(i * 7919) % 50_000}`,
  session_id: `s-${Math.floor(i / 20)}`,
  event_type: TYPES[i % 4]!,
  page: `/product/${(i * 31) % 5000}`,
  amount: `${(i * 13) % 100_000}.${String(i % 100).padStart(2, '0')}`,
  event_time: T0 + (i % 3) * 86_400_000 + (i % 86_400_000),
  quantity: 1 + (i % 5),
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const fieldIdsOf = (bytes: Uint8Array) => {
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return meta.schema.slice(1).every((e) => typeof e.field_id === 'number');
};

const convert = avroRowConverter(EVENT);
const { fields } = avroToIceberg(EVENT);
const rows = Array.from({ length: ROWS }, (_, i) => convert(event(i)));

function hyparquet(): { ms: number; bytes: Uint8Array } {
  const t = performance.now();
  const { bytes } = writeParquet(fields, rows);
  return { ms: performance.now() - t, bytes };
}

function parquetWasm(): { ms: number; bytes: Uint8Array } {
  const t = performance.now();
  const meta = (id: number) => new Map([['PARQUET:field_id', String(id)]]);
  const col = <T>(name: string, f: (r: (typeof rows)[number]) => T) => rows.map(f);
  const decimalType = new Decimal(2, 12, 128);
  const amounts = new Uint32Array(ROWS * 4);
  rows.forEach((r, i) => {
    const v = BigInt.asUintN(128, r.amount as bigint);
    for (let w = 0; w < 4; w++) amounts[i * 4 + w] = Number((v >> BigInt(32 * w)) & 0xffffffffn);
  });
  const schema = new Schema([
    new Field('event_id', new Int64(), false, meta(1)),
    new Field('user_id', new Utf8(), false, meta(2)),
    new Field('session_id', new Utf8(), false, meta(3)),
    new Field('event_type', new Utf8(), false, meta(4)),
    new Field('page', new Utf8(), false, meta(5)),
    new Field('amount', decimalType, false, meta(6)),
    new Field('event_time', new TimestampMicrosecond('UTC'), false, meta(7)),
    new Field('quantity', new Int32(), false, meta(8)),
  ]);
  const table = new ArrowTable(schema, {
    event_id: new Vector([makeData({ type: new Int64(), length: ROWS, data: BigInt64Array.from(col('event_id', (r) => r.event_id as bigint)) })]),
    user_id: vectorFromArray(col('user_id', (r) => r.user_id as string), new Utf8()),
    session_id: vectorFromArray(col('session_id', (r) => r.session_id as string), new Utf8()),
    event_type: vectorFromArray(col('event_type', (r) => r.event_type as string), new Utf8()),
    page: vectorFromArray(col('page', (r) => r.page as string), new Utf8()),
    amount: new Vector([makeData({ type: decimalType, length: ROWS, data: amounts })]),
    event_time: new Vector([makeData({ type: new TimestampMicrosecond('UTC'), length: ROWS, data: BigInt64Array.from(col('event_time', (r) => r.event_time as bigint)) })]),
    quantity: vectorFromArray(col('quantity', (r) => r.quantity as number), new Int32()),
  });
  const wasmTable = wasm.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const props = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build();
  const bytes = wasm.writeParquet(wasmTable, props);
  return { ms: performance.now() - t, bytes };
}

const encoders: [string, () => { ms: number; bytes: Uint8Array }][] = [['hyparquet-writer 0.17.0', hyparquet], ['parquet-wasm 0.8.0 (+ apache-arrow 21.1.0)', parquetWasm]];
const encoderRows: string[] = [];
for (const [name, fn] of encoders) {
  const runs = Array.from({ length: RUNS }, () => fn());
  const rates = runs.map((r) => (ROWS / r.ms) * 1000);
  const bytes = runs[0]!.bytes;
  encoderRows.push(`| ${name} | ${fmt(median(rates))} | ${rates.map(fmt).join(' / ')} | ${(bytes.length / 1024 / 1024).toFixed(2)} MiB | ${fieldIdsOf(bytes) ? 'yes' : 'no'} |`);
  console.log(encoderRows.at(-1));
}

// 2 + 3: through the catalog and the object store.
const config = loadConfig();
const dir = mkdtempSync(join(tmpdir(), 'lake-bench-'));
const warehouse = `s3://${config.s3.bucket}/bench-lake/${process.pid}`;
const catalog = await startCatalog({ host: '127.0.0.1', port: 0, database: join(dir, 'c.sqlite'), warehouse, s3: config.s3 });
const client = new RestCatalogClient(catalog.url);
const io = new S3FileIO(config.s3);
const ctxOf = (table: string) => ({ client, io, namespace: ['bench'], table, nowMs: () => Date.now() });
const tableRates: number[] = [];
const compactRows: string[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const name = `events_${run}`;
    const t0 = performance.now();
    const batch = 100_000;
    for (let from = 0; from < TABLE_ROWS; from += batch) {
      const t = (await ensureTable(client, { namespace: ['bench'], name, avro: EVENT })).metadata;
      const part = Array.from({ length: batch }, (_, k) => convert(event(from + k)));
      const files = await writeDataFiles(io, t.location, currentSchema(t), defaultSpec(t), part);
      await commitSnapshot(ctxOf(name), { operation: 'append', addedData: files });
    }
    tableRates.push((TABLE_ROWS / (performance.now() - t0)) * 1000);
    console.log(`table write run ${run}: ${fmt(tableRates.at(-1)!)} rows/s`);
  }
  for (let run = 0; run < RUNS; run++) {
    const name = `small_${run}`;
    for (let c = 0; c < SMALL_COMMITS; c++) {
      const t = (await ensureTable(client, { namespace: ['bench'], name, avro: EVENT })).metadata;
      const part = Array.from({ length: SMALL_ROWS }, (_, k) => convert(event(c * SMALL_ROWS + k)));
      await commitSnapshot(ctxOf(name), { operation: 'append', addedData: await writeDataFiles(io, t.location, currentSchema(t), defaultSpec(t), part) });
    }
    const sizes = async () => (await liveFiles(io, currentSnapshot((await client.loadTable(['bench'], name))!.metadata))).data.map((d) => d.file.fileSizeInBytes);
    const before = await sizes();
    const t0 = performance.now();
    await compact(ctxOf(name), { targetFileBytes: 128 * 1024 * 1024, minInputFiles: 5 });
    const ms = performance.now() - t0;
    const after = await sizes();
    const kib = (xs: number[]) => fmt(xs.reduce((a, b) => a + b, 0) / xs.length / 1024);
    compactRows.push(`| ${run + 1} | ${before.length} files, mean ${kib(before)} KiB | ${after.length} files, mean ${kib(after)} KiB | ${fmt(ms)} ms |`);
    console.log(compactRows.at(-1));
  }
} finally {
  for (const name of [...Array(RUNS).keys()].flatMap((r) => [`events_${r}`, `small_${r}`])) await client.dropTable(['bench'], name, true).catch(() => undefined);
  await client.dropNamespace(['bench']).catch(() => undefined);
  await catalog.close();
  io.close();
  rmSync(dir, { recursive: true, force: true });
}

const section = [
  `Benchmark: \`npx tsx benchmarks/lake.bench.ts --write\`. Event-like schema of 8 columns (long, 4 strings, decimal(12,2), timestamptz, int), SNAPPY; median of ${RUNS} runs.`,
  `Machine: 2 × AMD EPYC, shared with other work; Node ${process.version}; SeaweedFS S3 on the same machine; ${new Date().toISOString().slice(0, 10)}.`,
  '',
  `Parquet encoders, ${ROWS.toLocaleString('en-US')} rows in one file (in memory, no I/O):`,
  '',
  '| encoder | rows/s (median) | runs | file size | Iceberg field ids |',
  '|---|---:|---|---:|---|',
  ...encoderRows,
  '',
  `Table writes per process (rows → Parquet on S3 → snapshot via the REST catalog, batches of 100,000, ${TABLE_ROWS.toLocaleString('en-US')} rows over 3 day partitions): **${fmt(median(tableRates))} rows/s** (runs ${tableRates.map(fmt).join(' / ')}).`,
  '',
  `Compaction of ${SMALL_COMMITS} commits of ${SMALL_ROWS.toLocaleString('en-US')} rows (3 day partitions each) toward 128 MiB files:`,
  '',
  '| run | before | after | compaction time |',
  '|---|---|---|---:|',
  ...compactRows,
].join('\n');
console.log(section);
if (process.argv.includes('--write')) await writeSection('Lake (Parquet writers, sink throughput, compaction)', section);

/** Replaces the body of `## <title>` in RESULTS.md, leaving every other section alone. */
async function writeSection(title: string, body: string): Promise<void> {
  const file = new URL('./RESULTS.md', import.meta.url);
  let text = await readFile(file, 'utf8');
  if (!text.includes(`## ${title}\n`)) text = `${text.trimEnd()}\n\n## ${title}\n`;
  const bodyStart = text.indexOf(`## ${title}\n`) + `## ${title}\n`.length;
  const next = text.indexOf('\n## ', bodyStart);
  const end = next < 0 ? text.length : next + 1;
  await writeFile(file, `${text.slice(0, bodyStart)}\n${body}\n\n${text.slice(end)}`.trimEnd() + '\n');
}
