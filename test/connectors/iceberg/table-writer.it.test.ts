import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitSnapshot } from '../../../connectors/iceberg/table/commit-snapshot.ts';
import { writeDataFiles } from '../../../connectors/iceberg/table/data-writer.ts';
import { ensureTable } from '../../../connectors/iceberg/table/ensure-table.ts';
import { currentSchema, defaultSpec } from '../../../connectors/iceberg/metadata/table-metadata.ts';
import { avroRowConverter } from '../../../connectors/iceberg/schema/avro-values.ts';
import type { AvroSchema } from '../../../connectors/iceberg/schema/avro-to-iceberg.ts';
import { testCatalog } from './harness.ts';
import { pyiceberg } from './pyiceberg.ts';

const ORDER: AvroSchema = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'order_id', type: 'long' },
    { name: 'customer', type: 'string' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'local_time', type: ['null', { type: 'long', logicalType: 'local-timestamp-micros' }], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'int' } },
    { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: ['null', 'string'], default: null }] } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20);
const order = (i: number) => ({
  order_id: i,
  customer: `c${i % 7}`,
  total: `${i}.${String(i % 100).padStart(2, '0')}`,
  event_time: T0 + (i % 3) * DAY + i * 1000,
  local_time: i % 2 ? null : (T0 + i) * 1000,
  tags: i % 4 ? ['a', `t${i}`] : [],
  attrs: { n: i },
  address: { city: `city${i % 5}`, zip: i % 3 ? `z${i}` : null },
  note: i % 5 ? null : `note ${i}`,
});

describe('Iceberg table writer, read back with PyIceberg', () => {
  let env: Awaited<ReturnType<typeof testCatalog>>;
  const ns = ['writer_it'];
  const name = `orders_${process.pid}`;
  const ident = `${ns[0]}.${name}`;

  beforeAll(async () => {
    env = await testCatalog('writer');
    const ctx = { client: env.client, io: env.io, namespace: ns, table: name, nowMs: () => Date.now() };
    const convert = avroRowConverter(ORDER);
    for (const [from, to] of [[0, 60], [60, 90]] as const) {
      const t = await ensureTable(env.client, { namespace: ns, name, avro: ORDER });
      const m = t.metadata;
      const rows = Array.from({ length: to - from }, (_, k) => convert(order(from + k)));
      const files = await writeDataFiles(env.io, m.location, currentSchema(m), defaultSpec(m), rows);
      await commitSnapshot(ctx, { operation: 'append', addedData: files, summary: { 'streamhouse.batch': `${from}-${to}` } });
    }
  });
  afterAll(async () => {
    await env?.client.dropTable(ns, name, true);
    await env?.client.dropNamespace(ns);
    await env?.close();
  });

  it('reads every row with its values', async () => {
    const [count, rows] = await pyiceberg(env.catalog.url, ident, [{ op: 'count' }, { op: 'rows', order_by: 'order_id' }]) as [number, Record<string, unknown>[]];
    expect(count).toBe(90);
    expect(rows[7]).toEqual({
      order_id: 7,
      customer: 'c0',
      total: '7.07',
      event_time: new Date(T0 + DAY + 7000).toISOString().replace('Z', '+00:00').replace('.000', ''),
      local_time: null,
      tags: ['a', 't7'],
      attrs: [['n', 7]],
      address: { city: 'city2', zip: 'z7' },
      note: null,
    });
    // local_time = (T0 + 10) ms written as µs: 10 ms after midnight, no zone
    expect(rows[10]!.local_time).toBe(new Date(T0).toISOString().slice(0, 19) + '.010000');
    expect(rows[20]!.note).toBe('note 20');
    expect(rows.map((r) => r.order_id)).toEqual(Array.from({ length: 90 }, (_, i) => i));
  });

  it('has the schema, field ids, partition spec and name mapping', async () => {
    const [s] = await pyiceberg(env.catalog.url, ident, [{ op: 'schema' }]) as [Record<string, unknown> & { fields: { id: number; name: string; type: unknown; required: boolean }[] }];
    expect(s.fields.map((f) => [f.id, f.name, f.required])).toEqual([
      [1, 'order_id', true], [2, 'customer', true], [3, 'total', true], [4, 'event_time', true], [5, 'local_time', false],
      [6, 'tags', true], [8, 'attrs', true], [11, 'address', true], [14, 'note', false],
    ]);
    expect(s.fields[2]!.type).toBe('decimal(12, 2)');
    expect(s.fields[3]!.type).toBe('timestamptz');
    expect(s.fields[4]!.type).toBe('timestamp');
    expect(s.fields[5]!.type).toMatchObject({ type: 'list', 'element-id': 7, element: 'string' });
    expect(s.fields[6]!.type).toMatchObject({ type: 'map', 'key-id': 9, 'value-id': 10, value: 'int' });
    expect(s.spec).toMatchObject({ fields: [{ 'source-id': 4, 'field-id': 1000, transform: 'day', name: 'event_time_day' }] });
    expect(JSON.parse((s.properties as Record<string, string>)['schema.name-mapping.default']!)[0]).toEqual({ 'field-id': 1, names: ['order_id'] });
    expect(s.format_version).toBe(2);
  });

  it('records snapshots with sequence numbers and summaries', async () => {
    const [snaps] = await pyiceberg(env.catalog.url, ident, [{ op: 'snapshots' }]) as [{ id: number; parent: number | null; sequence_number: number; operation: string; summary: Record<string, string> }[]];
    expect(snaps).toHaveLength(2);
    expect(snaps.map((s) => s.sequence_number)).toEqual([1, 2]);
    expect(snaps[1]!.parent).toBe(snaps[0]!.id);
    expect(snaps.map((s) => s.operation)).toEqual(['append', 'append']);
    expect(snaps[1]!.summary).toMatchObject({ 'added-records': '30', 'total-records': '90', 'total-data-files': '6', 'streamhouse.batch': '60-90' });
  });

  it('prunes data files with a filter on the partition column', async () => {
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');
    const day1 = iso(T0 + DAY);
    const day2 = iso(T0 + 2 * DAY);
    const [all, one] = await pyiceberg(env.catalog.url, ident, [
      { op: 'files' },
      { op: 'files', filter: `event_time >= '${day1}' and event_time < '${day2}'` },
    ]) as { count: number }[];
    expect(all!.count).toBe(6);
    expect(one!.count).toBe(2);
  });

  it('retries commits that lose the race: 5 concurrent appends all land, with sequence numbers 3..7', async () => {
    const ctx = { client: env.client, io: env.io, namespace: ns, table: name, nowMs: () => Date.now() };
    const convert = avroRowConverter(ORDER);
    const m = (await env.client.loadTable(ns, name))!.metadata;
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (w) => {
        const files = await writeDataFiles(env.io, m.location, currentSchema(m), defaultSpec(m), [convert(order(1000 + w))]);
        await commitSnapshot(ctx, { operation: 'append', addedData: files });
      }),
    );
    const after = (await env.client.loadTable(ns, name))!.metadata;
    expect(after.snapshots.map((s) => s['sequence-number'])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const [count] = (await pyiceberg(env.catalog.url, ident, [{ op: 'count' }])) as [number];
    expect(count).toBe(95);
  });

  it('writes Parquet field ids that pyarrow reads directly', async () => {
    const [p] = await pyiceberg(env.catalog.url, ident, [{ op: 'parquet_ids' }]) as [{ field_ids: Record<string, number>; types: Record<string, string> }];
    expect(p.field_ids).toEqual({ order_id: 1, customer: 2, total: 3, event_time: 4, local_time: 5, tags: 6, attrs: 8, address: 11, note: 14 });
    expect(p.types.event_time).toBe('timestamp[us, tz=UTC]');
    expect(p.types.local_time).toBe('timestamp[us]');
    expect(p.types.total).toBe('decimal128(12, 2)');
  });
});
