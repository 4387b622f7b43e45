import avro from 'avsc';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { LakeSink } from '../../../../connectors/iceberg/sink/lake-sink.ts';
import { sinkConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import { currentSnapshot } from '../../../../connectors/iceberg/metadata/table-metadata.ts';
import { decimalBytes } from '../../../../connectors/iceberg/internal/single-value.ts';
import { unique, waitFor } from '../kafka-support.ts';
import { pyiceberg } from '../pyiceberg.ts';
import { lakeSinkSuite } from './sink-suite.ts';

const V1 = {
  type: 'record',
  name: 'Payment',
  namespace: 'shop',
  fields: [
    { name: 'payment_id', type: 'long' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'paid_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'method', type: { type: 'enum', name: 'Method', symbols: ['CARD', 'IBAN'] } },
  ],
};
const V2 = { ...V1, fields: [...V1.fields, { name: 'country', type: ['null', 'string'], default: null }] };
const T0 = Date.UTC(2026, 10, 20, 12);

describe('lake sink on Confluent-framed Avro with schemas from the registry', () => {
  const registry = loadConfig().registry.url;
  const topic = unique('lake-avro-payments');
  const ns = ['avro_it'];
  const table = `payments_${process.pid}`;
  const suite = lakeSinkSuite('avro', { namespace: ns, tables: [table], topics: [topic], partitions: 2 });
  const k = suite.kafka;

  const register = async (schema: object) => {
    const res = await fetch(`${registry}/subjects/${topic}-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(schema) }),
    });
    return ((await res.json()) as { id: number }).id;
  };
  const frame = (id: number, type: avro.Type, value: unknown) => {
    const head = Buffer.alloc(5);
    head.writeInt32BE(id, 1);
    return Buffer.concat([head, type.toBuffer(value)]);
  };

  afterAll(() => fetch(`${registry}/subjects/${topic}-value`, { method: 'DELETE' }).catch(() => undefined));

  it('maps the Avro types, and follows a new writer schema with a new column', async () => {
    const id1 = await register(V1);
    const id2 = await register(V2);
    const t1 = avro.Type.forSchema(V1 as avro.Schema);
    const t2 = avro.Type.forSchema(V2 as avro.Schema);
    const producer = k.producer();
    await producer.connect();
    const pay = (i: number) => ({ payment_id: i, amount: decimalBytes(BigInt(i * 1001)), paid_at: T0 + i * 1000, method: i % 2 ? 'IBAN' : 'CARD' });
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ key: String(i), value: frame(id1, t1, pay(i)) })) });
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, j) => ({ key: String(50 + j), value: frame(id2, t2, { ...pay(50 + j), country: 'NO' }) })) });
    await producer.disconnect();
    const sink = new LakeSink(
      sinkConfig({
        brokers: loadConfig().kafka.brokers, groupId: unique('lake-avro-group'), catalogUrl: suite.env.catalog.url, registryUrl: registry, s3: loadConfig().s3,
        tables: [{ topics: [topic], namespace: ns, table, format: 'avro', partitionBy: ['day(paid_at)'] }], commitIntervalMs: 1000,
      }),
      () => undefined,
    );
    await sink.start();
    await waitFor(async () => {
      const t = await suite.env.client.loadTable(ns, table);
      return Number(t ? currentSnapshot(t.metadata)?.summary['total-records'] ?? 0 : 0) === 60;
    }, 90_000, '60 payments');
    await sink.stop();
    const [schema, rows] = (await pyiceberg(suite.env.catalog.url, `${ns[0]}.${table}`, [{ op: 'schema' }, { op: 'rows', order_by: 'payment_id' }])) as [
      { fields: { id: number; name: string; type: string; required: boolean }[]; spec: { fields: { transform: string }[] } },
      Record<string, unknown>[],
    ];
    expect(schema.fields.map((f) => [f.id, f.name, f.type, f.required])).toEqual([
      [1, 'payment_id', 'long', true], [2, 'amount', 'decimal(10, 2)', true], [3, 'paid_at', 'timestamptz', true], [4, 'method', 'string', true], [5, 'country', 'string', false],
    ]);
    expect(schema.spec.fields.map((f) => f.transform)).toEqual(['day']);
    expect(rows).toHaveLength(60);
    expect(rows[3]).toEqual({ payment_id: 3, amount: '30.03', paid_at: '2026-11-20T12:00:03+00:00', method: 'IBAN', country: null });
    expect(rows[55]).toMatchObject({ payment_id: 55, amount: '550.55', country: 'NO' });
  });
});
