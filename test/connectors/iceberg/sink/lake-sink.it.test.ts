import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { LakeSink } from '../../../../connectors/iceberg/sink/lake-sink.ts';
import { OFFSETS_KEY } from '../../../../connectors/iceberg/sink/offsets.ts';
import { sinkConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import { currentSnapshot } from '../../../../connectors/iceberg/metadata/table-metadata.ts';
import type { AvroSchema } from '../../../../connectors/iceberg/schema/avro-to-iceberg.ts';
import { produceJson, unique, waitFor } from '../kafka-support.ts';
import { pyiceberg } from '../pyiceberg.ts';
import { lakeSinkSuite } from './sink-suite.ts';

const FIELDS = [
  { name: 'id', type: 'long' },
  { name: 'page', type: 'string' },
  { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
  { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' } },
];
const V1: AvroSchema = { type: 'record', name: 'Click', fields: FIELDS };
const V2: AvroSchema = { type: 'record', name: 'Click', fields: [...FIELDS, { name: 'campaign', type: ['null', 'string'], default: null }] };
const T0 = Date.UTC(2026, 10, 1);
const click = (i: number) => ({ id: i, page: `/p/${i % 13}`, price: `${i % 1000}.${String(i % 100).padStart(2, '0')}`, event_time: T0 + (i % 4) * 86_400_000 + i });

describe('lake sink: topics into an Iceberg table, exactly once', () => {
  const topic = unique('lake-sink-clicks');
  const ns = ['sink_it'];
  const table = `clicks_${process.pid}`;
  const suite = lakeSinkSuite('sink', { namespace: ns, tables: [table], topics: [topic, `${topic}.lake-dlq`], partitions: 3, strictDrop: true });
  const k = suite.kafka;
  const ident = `${ns[0]}.${table}`;
  const config = (schema: AvroSchema) =>
    sinkConfig({
      brokers: loadConfig().kafka.brokers,
      groupId: unique('lake-sink-group'),
      catalogUrl: suite.env.catalog.url,
      s3: loadConfig().s3,
      tables: [{ topics: [topic], namespace: ns, table, format: 'json', schema }],
      commitIntervalMs: 1000,
      rollBytes: 64 * 1024,
    });
  const total = async () => {
    const t = await suite.env.client.loadTable(ns, table);
    return Number(t ? currentSnapshot(t.metadata)?.summary['total-records'] ?? 0 : 0);
  };
  const logs: string[] = [];

  it('writes every record once, rolls files by size, and records offsets in snapshot summaries', async () => {
    await produceJson(k, topic, 0, 6000, click);
    const sink = new LakeSink(config(V1), (m) => logs.push(m));
    await sink.start();
    await waitFor(async () => (await total()) === 6000, 90_000, '6000 records in the table');
    await sink.stop();
    const [count, distinct, files, snaps] = (await pyiceberg(suite.env.catalog.url, ident, [
      { op: 'count' }, { op: 'distinct', column: 'id' }, { op: 'files' }, { op: 'snapshots' },
    ])) as [number, { count: number; distinct: number }, { count: number }, { summary: Record<string, string> }[]];
    expect(count).toBe(6000);
    expect(distinct).toEqual({ count: 6000, distinct: 6000 });
    expect(files.count).toBeGreaterThan(4); // 64 KiB rolls over 4 day partitions
    const offsets = JSON.parse(snaps.at(-1)!.summary[OFFSETS_KEY]!) as Record<string, Record<string, string>>;
    expect(Object.values(offsets[topic]!).reduce((n, o) => n + Number(o), 0)).toBe(6000);
  });

  it('resumes from the table offsets after a restart, without duplicates', async () => {
    await produceJson(k, topic, 6000, 7000, click);
    const sink = new LakeSink(config(V1), (m) => logs.push(m));
    await sink.start();
    await waitFor(async () => (await total()) === 7000, 90_000, '7000 records');
    await new Promise((r) => setTimeout(r, 2500)); // more commit intervals pass: nothing else may arrive
    await sink.stop();
    const [distinct] = (await pyiceberg(suite.env.catalog.url, ident, [{ op: 'distinct', column: 'id' }])) as [{ count: number; distinct: number }];
    expect(distinct).toEqual({ count: 7000, distinct: 7000 });
  });

  it('evolves the schema: old and new files read together; bad records go to the dead-letter topic', async () => {
    await produceJson(k, topic, 7000, 7100, (i) => ({ ...click(i), campaign: `c${i % 3}` }));
    const producer = k.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'bad', value: '{"id": "not a number"' }] });
    await producer.disconnect();
    const sink = new LakeSink(config(V2), (m) => logs.push(m));
    await sink.start();
    await waitFor(async () => (await total()) === 7100 && sink.stats.deadLettered === 1, 90_000, '7100 records and one dead letter');
    await sink.stop();
    const [schema, rows, price] = (await pyiceberg(suite.env.catalog.url, ident, [
      { op: 'schema' },
      { op: 'rows', filter: 'id >= 6998 and id <= 7001', order_by: 'id' },
      { op: 'rows', filter: 'id = 1234', columns: ['price'] },
    ])) as [{ fields: { id: number; name: string }[] }, Record<string, unknown>[], { price: string }[]];
    expect(schema.fields.map((f) => [f.id, f.name])).toEqual([[1, 'id'], [2, 'page'], [3, 'price'], [4, 'event_time'], [5, 'campaign']]);
    expect(rows.map((r) => [r.id, r.campaign])).toEqual([[6998, null], [6999, null], [7000, 'c1'], [7001, 'c2']]);
    expect(price).toEqual([{ price: '234.34' }]);
    const dlq = k.consumer({ groupId: unique('lake-dlq-reader') });
    await dlq.connect();
    await dlq.subscribe({ topics: [`${topic}.lake-dlq`], fromBeginning: true });
    const dead: { value: string; error: string }[] = [];
    await dlq.run({ eachMessage: async ({ message }) => void dead.push({ value: message.value!.toString(), error: message.headers!['lake.error']!.toString() }) });
    await waitFor(() => dead.length === 1, 30_000, 'the dead letter');
    await dlq.disconnect();
    expect(dead[0]!.value).toBe('{"id": "not a number"');
    expect(dead[0]!.error).toMatch(/^value is not JSON/);
  });
});
