import { describe, expect, it } from 'vitest';
import { IcebergError } from '../../../../connectors/iceberg/errors.ts';
import { recordKeyDecoder } from '../../../../connectors/iceberg/sink/record-key.ts';
import { sinkConfig, tombstoneKeyFormat, type SinkTableConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import type { NestedField } from '../../../../connectors/iceberg/schema/types.ts';

const col = (id: number, name: string, type: string): NestedField => ({ id, name, required: true, type });
const key = (s: string) => Buffer.from(s, 'utf8');

function badRecord(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IcebergError);
    expect((err as IcebergError).code).toBe('BAD_RECORD');
    return (err as Error).message;
  }
  throw new Error('expected a BAD_RECORD error');
}

describe('record keys → key columns (tombstone deletes)', () => {
  it('text: the whole key is the single key column, converted to its type', () => {
    expect(recordKeyDecoder('text', [col(1, 'customerId', 'string')])(key('c-42'))).toEqual({ customerId: 'c-42' });
    expect(recordKeyDecoder('text', [col(1, 'id', 'long')])(key('9007199254740993'))).toEqual({ id: 9007199254740993n });
    expect(recordKeyDecoder('text', [col(1, 'n', 'int')])(key('-7'))).toEqual({ n: -7 });
    expect(recordKeyDecoder('text', [col(1, 'amount', 'decimal(9, 2)')])(key('12.5'))).toEqual({ amount: 1250n });
    expect(recordKeyDecoder('text', [col(1, 'flag', 'boolean')])(key('true'))).toEqual({ flag: true });
  });

  it('json-array: the key columns in order, as the gold topics are keyed', () => {
    const decode = recordKeyDecoder('json-array', [col(1, 'window', 'string'), col(2, 'windowStart', 'long'), col(3, 'category', 'string')]);
    expect(decode(key('["1h",1767600000000,"toys"]'))).toEqual({ window: '1h', windowStart: 1767600000000n, category: 'toys' });
  });

  it('timestamps: epoch milliseconds or ISO-8601 text, to the microseconds a row holds', () => {
    const day = Date.UTC(2026, 0, 5);
    expect(recordKeyDecoder('json-array', [col(1, 'day', 'timestamptz'), col(2, 'channel', 'string')])(key(`[${day},"web"]`))).toEqual({ day: BigInt(day) * 1000n, channel: 'web' });
    expect(recordKeyDecoder('text', [col(1, 'at', 'timestamp')])(key(String(day)))).toEqual({ at: BigInt(day) * 1000n });
    expect(recordKeyDecoder('text', [col(1, 'at', 'timestamptz')])(key('2026-01-05T00:00:00Z'))).toEqual({ at: BigInt(day) * 1000n });
  });

  it('json-object: a member per key column, other members ignored', () => {
    const decode = recordKeyDecoder('json-object', [col(1, 'day', 'date'), col(2, 'channel', 'string')]);
    expect(decode(key('{"channel":"web","day":"2026-01-05","extra":1}'))).toEqual({ day: 20458, channel: 'web' });
  });

  it('a key that does not decode is a BAD_RECORD naming the key and the reason', () => {
    const two = [col(1, 'day', 'long'), col(2, 'channel', 'string')];
    expect(badRecord(() => recordKeyDecoder('json-array', two)(key('[1,"web",3]')))).toBe('record key "[1,\\"web\\",3]" (keyFormat json-array): has 3 elements, the key columns are 2 (day, channel)');
    expect(badRecord(() => recordKeyDecoder('json-array', two)(key('{"day":1}')))).toBe('record key "{\\"day\\":1}" (keyFormat json-array): not a JSON array');
    expect(badRecord(() => recordKeyDecoder('json-array', two)(key('[1,')))).toMatch(/^record key "\[1," \(keyFormat json-array\): not JSON \(/);
    expect(badRecord(() => recordKeyDecoder('json-object', two)(key('{"day":1}')))).toBe('record key "{\\"day\\":1}" (keyFormat json-object): has no member "channel"');
    expect(badRecord(() => recordKeyDecoder('json-array', two)(key('[null,"web"]')))).toBe('record key "[null,\\"web\\"]" (keyFormat json-array): key column "day" is null');
    expect(badRecord(() => recordKeyDecoder('json-array', two)(key('["monday","web"]')))).toBe('record key "[\\"monday\\",\\"web\\"]" (keyFormat json-array): field "day": "monday" is not a long');
    expect(badRecord(() => recordKeyDecoder('text', [col(1, 'id', 'long')])(key('abc')))).toBe('record key "abc" (keyFormat text): field "id": "abc" is not a long');
    expect(badRecord(() => recordKeyDecoder('text', [col(1, 'id', 'long')])(null))).toBe('a tombstone without a record key cannot name the row to delete');
    expect(badRecord(() => recordKeyDecoder('text', [col(1, 'at', 'time')])(key('1')))).toBe('key column "at" of type "time" cannot be decoded from a record key');
  });

  it('text needs exactly one key column', () => {
    expect(() => recordKeyDecoder('text', [col(1, 'a', 'string'), col(2, 'b', 'string')])).toThrow('keyFormat text maps the key to one column, but the table has 2 key columns (a, b); use json-array or json-object');
  });
});

describe('tombstone configuration', () => {
  const base = { topics: ['t'], namespace: ['n'], table: 't', format: 'json' as const, schema: { type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }, { name: 'b', type: 'string' }] } };
  const ok = { brokers: ['b:1'], groupId: 'g', catalogUrl: 'http://c', s3: { endpoint: 'http://x', region: 'r', accessKeyId: 'a', secretAccessKey: 'b' } };

  it('keyed tables delete on tombstones by default; append-only tables ignore them', () => {
    const t = (extra: Partial<SinkTableConfig>): SinkTableConfig => ({ ...base, ...extra });
    expect(tombstoneKeyFormat(t({}))).toBeUndefined();
    expect(tombstoneKeyFormat(t({ key: ['a'] }))).toBe('text');
    expect(tombstoneKeyFormat(t({ key: ['a', 'b'] }))).toBe('json-array');
    expect(tombstoneKeyFormat(t({ key: ['a', 'b'], keyFormat: 'json-object' }))).toBe('json-object');
    expect(tombstoneKeyFormat(t({ key: ['a'], tombstones: 'ignore' }))).toBeUndefined();
  });

  it('names the bad key', () => {
    expect(() => sinkConfig({ ...ok, tables: [{ ...base, tombstones: 'delete' }] })).toThrow('sink config: tables[0].tombstones is delete, which needs key columns (tables without key are append-only)');
    expect(() => sinkConfig({ ...ok, tables: [{ ...base, keyFormat: 'text' }] })).toThrow('sink config: tables[0].keyFormat needs key columns');
    expect(() => sinkConfig({ ...ok, tables: [{ ...base, key: ['a', 'b'], keyFormat: 'text' }] })).toThrow('sink config: tables[0].keyFormat is text, which maps the record key to one column, but key has 2: use json-array or json-object');
    expect(() => sinkConfig({ ...ok, tables: [{ ...base, key: ['a'], keyFormat: 'csv' as never }] })).toThrow('sink config: tables[0].keyFormat must be one of text, json-array, json-object, got csv');
  });
});
