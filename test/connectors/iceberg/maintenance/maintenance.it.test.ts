import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanOrphans } from '../../../../connectors/iceberg/maintenance/clean-orphans.ts';
import { compact } from '../../../../connectors/iceberg/maintenance/compact.ts';
import { expireSnapshots } from '../../../../connectors/iceberg/maintenance/expire-snapshots.ts';
import { currentSchema, currentSnapshot, defaultSpec } from '../../../../connectors/iceberg/metadata/table-metadata.ts';
import type { AvroSchema } from '../../../../connectors/iceberg/schema/avro-to-iceberg.ts';
import { avroRowConverter } from '../../../../connectors/iceberg/schema/avro-values.ts';
import { commitSnapshot, type CommitContext } from '../../../../connectors/iceberg/table/commit-snapshot.ts';
import { writeDataFiles } from '../../../../connectors/iceberg/table/data-writer.ts';
import { ensureTable } from '../../../../connectors/iceberg/table/ensure-table.ts';
import { readManifestList } from '../../../../connectors/iceberg/table/scan.ts';
import { upsert } from '../../../../connectors/iceberg/table/upsert.ts';
import { testCatalog } from '../harness.ts';
import { pyiceberg } from '../pyiceberg.ts';
import { buildJavaReader, readWithJava } from '../java-reader.ts';

const SALE: AvroSchema = {
  type: 'record',
  name: 'Sale',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'sku', type: 'string' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 20, scale: 4 } },
    { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-micros' } },
  ],
};
const CUSTOMER: AvroSchema = {
  type: 'record',
  name: 'Customer',
  fields: [
    { name: 'customer_id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'tier', type: 'string' },
  ],
};
const T0 = Date.UTC(2026, 10, 10) * 1000;
const sale = (i: number) => ({ id: i, sku: `sku-${i % 17}`, amount: `${i}${i}.${String(i % 10000).padStart(4, '0')}`, event_time: T0 + (i % 2) * 86_400_000_000 + i });

describe('maintenance and upserts, checked with PyIceberg', () => {
  let env: Awaited<ReturnType<typeof testCatalog>>;
  const ns = ['maint_it'];
  const sales = `sales_${process.pid}`;
  const customers = `customers_${process.pid}`;
  const ctx = (table: string): CommitContext => ({ client: env.client, io: env.io, namespace: ns, table, nowMs: () => Date.now() });
  const read = (table: string, ops: Record<string, unknown>[]) => pyiceberg(env.catalog.url, `${ns[0]}.${table}`, ops);

  beforeAll(async () => {
    env = await testCatalog('maint');
    const convert = avroRowConverter(SALE);
    for (let batch = 0; batch < 6; batch++) {
      const t = await ensureTable(env.client, { namespace: ns, name: sales, avro: SALE });
      const rows = Array.from({ length: 50 }, (_, k) => convert(sale(batch * 50 + k)));
      const files = await writeDataFiles(env.io, t.metadata.location, currentSchema(t.metadata), defaultSpec(t.metadata), rows);
      await commitSnapshot(ctx(sales), { operation: 'append', addedData: files, summary: { 'streamhouse.kafka.offsets': JSON.stringify({ t: { 0: (batch + 1) * 50 } }) } });
    }
  });
  afterAll(async () => {
    for (const t of [sales, customers]) await env?.client.dropTable(ns, t, true).catch(() => undefined);
    await env?.client.dropNamespace(ns).catch(() => undefined);
    await env?.close();
  });

  it('compaction keeps every row, drops the file count, merges manifests and carries the offsets', async () => {
    const manifestsBefore = await readManifestList(env.io, currentSnapshot((await env.client.loadTable(ns, sales))!.metadata));
    expect(manifestsBefore).toHaveLength(6);
    const [before, filesBefore] = (await read(sales, [{ op: 'rows', order_by: 'id' }, { op: 'files' }])) as [unknown[], { count: number; paths: string[] }];
    expect(filesBefore.count).toBe(12);
    const result = await compact(ctx(sales), { targetFileBytes: 4 * 1024 * 1024, minInputFiles: 2 });
    expect(result).toEqual({ rewrittenFiles: 12, addedFiles: 2, removedDeleteFiles: 0 });
    const [after, filesAfter, snaps] = (await read(sales, [{ op: 'rows', order_by: 'id' }, { op: 'files' }, { op: 'snapshots' }])) as [unknown[], { count: number }, { operation: string; summary: Record<string, string> }[]];
    expect(after).toEqual(before);
    expect((after[7] as { amount: string }).amount).toBe('77.0007');
    expect(filesAfter.count).toBe(2);
    expect(snaps.at(-1)!.operation).toBe('replace');
    expect(snaps.at(-1)!.summary).toMatchObject({ 'total-records': '300', 'total-data-files': '2', 'deleted-data-files': '12', 'streamhouse.kafka.offsets': '{"t":{"0":"300"}}' });
    // A second compaction planned on the old files must not commit: they are no longer live.
    const stale = await commitSnapshot(ctx(sales), { operation: 'replace', addedData: [], removed: [filesBefore.paths[0]!] }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'FILES_NOT_LIVE' });
    expect((stale as Error).message).toBe(`cannot replace: 1 file(s) are no longer in the table, e.g. ${filesBefore.paths[0]}`);
    // One manifest with the new files, one merged from the six old ones (their entries now DELETED).
    const t = (await env.client.loadTable(ns, sales))!;
    const manifests = await readManifestList(env.io, currentSnapshot(t.metadata));
    expect(manifests.map((m) => [m.addedFilesCount, m.existingFilesCount, m.deletedFilesCount])).toEqual([[2, 0, 0], [0, 0, 12]]);
  });

  it('an upsert table shows exactly one current row per key (position deletes), also after compaction', async () => {
    await ensureTable(env.client, { namespace: ns, name: customers, avro: CUSTOMER, key: ['customer_id'] });
    const c = avroRowConverter(CUSTOMER);
    await upsert(ctx(customers), [1, 2, 3, 4, 5].map((i) => c({ customer_id: i, name: `n${i}`, tier: 'bronze' })));
    expect(await upsert(ctx(customers), [2, 4].map((i) => c({ customer_id: i, name: `n${i}`, tier: 'silver' })))).toEqual({ inserted: 0, updated: 2 });
    expect(await upsert(ctx(customers), [c({ customer_id: 4, name: 'n4', tier: 'gold' }), c({ customer_id: 6, name: 'n6', tier: 'bronze' })])).toEqual({ inserted: 1, updated: 1 });
    const expected = [[1, 'bronze'], [2, 'silver'], [3, 'bronze'], [4, 'gold'], [5, 'bronze'], [6, 'bronze']];
    const [rows, files, schema] = (await read(customers, [{ op: 'rows', order_by: 'customer_id' }, { op: 'files' }, { op: 'schema' }])) as [{ customer_id: number; tier: string }[], { delete_files: number }, { identifier_field_ids: number[] }];
    expect(rows.map((r) => [r.customer_id, r.tier])).toEqual(expected);
    expect(files.delete_files).toBeGreaterThan(0);
    expect(schema.identifier_field_ids).toEqual([1]);
    const result = await compact(ctx(customers), { targetFileBytes: 4 * 1024 * 1024, minInputFiles: 2 });
    expect(result.removedDeleteFiles).toBe(2);
    const [rows2, files2] = (await read(customers, [{ op: 'rows', order_by: 'customer_id' }, { op: 'files' }])) as [{ customer_id: number; tier: string }[], { count: number; delete_files: number }];
    expect(rows2.map((r) => [r.customer_id, r.tier])).toEqual(expected);
    expect(files2).toMatchObject({ count: 1, delete_files: 0 });
  });

  it('reads back with Apache Iceberg’s Java library (strict metadata parser, Avro manifests, position deletes)', async () => {
    buildJavaReader();
    const t = (await env.client.loadTable(ns, customers))!;
    const view = await readWithJava(env.io, t.metadataLocation, t.metadata);
    expect(view.formatVersion).toBe(2);
    expect(view.fields).toEqual([[1, 'customer_id', 'long'], [2, 'name', 'string'], [3, 'tier', 'string']]);
    expect(view.snapshots.map((s) => [s.sequenceNumber, s.operation])).toEqual([[1, 'overwrite'], [2, 'overwrite'], [3, 'overwrite'], [4, 'replace']]);
    // 5 + 2 + 2 rows appended, 3 position deletes; the compaction leaves one file of 6 rows.
    expect(view.snapshots.map((s) => [s.liveRecords, s.liveDataFiles, s.liveDeleteFiles])).toEqual([[5, 1, 0], [7, 2, 1], [9, 3, 2], [6, 1, 0]]);
    const s = (await env.client.loadTable(ns, sales))!;
    const sales_ = await readWithJava(env.io, s.metadataLocation, s.metadata);
    expect(sales_.spec).toContain('event_time_day: day(4)');
    expect(sales_.snapshots.at(-1)).toMatchObject({ operation: 'replace', liveRecords: 300, liveDataFiles: 2, totalRecords: '300' });
  });

  it('expires old snapshots and deletes the files only they used', async () => {
    const t = (await env.client.loadTable(ns, sales))!;
    const oldList = t.metadata.snapshots[0]!['manifest-list'];
    const [before] = (await read(sales, [{ op: 'rows', order_by: 'id' }])) as [unknown[]];
    const result = await expireSnapshots(ctx(sales), { maxAgeMs: 0, retainLast: 1 });
    expect(result.expiredSnapshots).toBe(6);
    expect(result.deletedFiles).toBeGreaterThanOrEqual(12 + 6);
    const [after, snaps] = (await read(sales, [{ op: 'rows', order_by: 'id' }, { op: 'snapshots' }])) as [unknown[], unknown[]];
    expect(after).toEqual(before);
    expect(snaps).toHaveLength(1);
    await expect(env.io.read(oldList)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('cleans orphan files only past the safety age', async () => {
    const t = (await env.client.loadTable(ns, sales))!;
    const orphan = `${t.metadata.location}/data/orphan-${process.pid}.parquet`;
    await env.io.write(orphan, Buffer.from('left over by a crashed writer'));
    const young = await cleanOrphans(ctx(sales), 3_600_000);
    expect(young.deleted).toEqual([]);
    expect(young.keptYoung).toBeGreaterThanOrEqual(1);
    const old = await cleanOrphans({ ...ctx(sales), nowMs: () => Date.now() + 7_200_000 }, 3_600_000);
    expect(old.deleted).toContain(orphan);
    const [count] = (await read(sales, [{ op: 'count' }])) as [number];
    expect(count).toBe(300);
  });
});
