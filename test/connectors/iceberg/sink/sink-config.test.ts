import { describe, expect, it } from 'vitest';
import { sinkConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import { decodeOffsets, encodeOffsets, offsetsOf, OFFSETS_KEY, sameOffsets } from '../../../../connectors/iceberg/sink/offsets.ts';
import { newTableMetadata } from '../../../../connectors/iceberg/metadata/table-metadata.ts';

const s3 = { endpoint: 'http://x', region: 'r', accessKeyId: 'a', secretAccessKey: 'b' };
const schema = { type: 'record', name: 'R', fields: [{ name: 'id', type: 'long' }] };

describe('sink configuration', () => {
  it('fills defaults', () => {
    const c = sinkConfig({ brokers: ['b:1'], groupId: 'g', catalogUrl: 'http://c', s3, tables: [{ topics: ['t'], namespace: ['n'], table: 't', format: 'json', schema }] });
    expect(c).toMatchObject({ commitIntervalMs: 30_000, rollBytes: 64 * 1024 * 1024, dlqSuffix: '.lake-dlq' });
  });

  it('names the bad key', () => {
    const ok = { brokers: ['b:1'], groupId: 'g', catalogUrl: 'http://c', s3 };
    expect(() => sinkConfig({ ...ok, tables: [] })).toThrow('sink config: tables is empty');
    expect(() => sinkConfig({ ...ok, tables: [{ topics: ['t'], namespace: ['n'], table: 't', format: 'json' }] })).toThrow('sink config: tables[0].schema is required for json values');
    expect(() => sinkConfig({ ...ok, tables: [{ topics: ['t'], namespace: ['n'], table: 't', format: 'avro' }] })).toThrow('sink config: registryUrl is required for avro values (tables[0])');
    expect(() => sinkConfig({ ...ok, commitIntervalMs: 0, tables: [{ topics: ['t'], namespace: ['n'], table: 't', format: 'json', schema }] })).toThrow('sink config: commitIntervalMs must be a positive number, got 0');
    const two = { topics: ['t'], namespace: ['n'], table: 'x', format: 'json' as const, schema };
    expect(() => sinkConfig({ ...ok, tables: [two, { ...two, table: 'y' }] })).toThrow('sink config: tables[1].topics "t" feeds two tables');
  });
});

describe('offsets in snapshot summaries', () => {
  it('round-trip and are found on the newest snapshot that has them', () => {
    const o = new Map([['orders', new Map([[1, 10n], [0, 5n]])]]);
    expect(encodeOffsets(o)).toBe('{"orders":{"0":"5","1":"10"}}');
    expect(sameOffsets(decodeOffsets(encodeOffsets(o)), o, ['orders'])).toBe(true);
    const m = newTableMetadata({ location: 's3://b/t', schema: { type: 'struct', 'schema-id': 0, fields: [] }, spec: { 'spec-id': 0, fields: [] }, nowMs: 0 });
    m.snapshots = [
      { 'snapshot-id': 1, 'sequence-number': 1, 'timestamp-ms': 1, 'manifest-list': 'a', summary: { operation: 'append', [OFFSETS_KEY]: encodeOffsets(o) } },
      { 'snapshot-id': 2, 'parent-snapshot-id': 1, 'sequence-number': 2, 'timestamp-ms': 2, 'manifest-list': 'b', summary: { operation: 'replace' } },
    ];
    m.refs = { main: { 'snapshot-id': 2, type: 'branch' } };
    expect(offsetsOf(m).get('orders')?.get(1)).toBe(10n);
    expect(sameOffsets(offsetsOf(m), new Map(), ['orders'])).toBe(false);
  });
});
