import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../schemas/registry/avro-schema.ts';
import { RegistryError } from '../../../schemas/registry/errors.ts';

const fail = (fn: () => unknown): RegistryError => {
  try {
    fn();
  } catch (e) {
    return e as RegistryError;
  }
  throw new Error('expected a failure');
};

describe('parseAvro', () => {
  it('gives one canonical form to spellings of one schema: whitespace, key order, namespace', () => {
    const a = parseAvro('{"type":"record","name":"User","namespace":"shop","fields":[{"name":"id","type":"long"}]}');
    const b = parseAvro(' { "fields": [ { "type": "long", "name": "id" } ], "name": "shop.User", "type": "record" } ');
    expect(b.canonical).toBe(a.canonical);
    expect(JSON.parse(a.canonical)).toEqual({ type: 'record', name: 'shop.User', fields: [{ name: 'id', type: 'long' }] });
  });

  it('keeps what changes meaning or documentation: defaults, docs, custom attributes', () => {
    const base = { type: 'record', name: 'R', fields: [{ name: 'x', type: 'int', default: 1 }] };
    const other = { ...base, fields: [{ name: 'x', type: 'int', default: 2 }] };
    expect(parseAvro(JSON.stringify(base)).canonical).not.toBe(parseAvro(JSON.stringify(other)).canonical);
    const doc = parseAvro(JSON.stringify({ ...base, doc: 'a row', 'x-owner': 'sales' })).canonical;
    expect(JSON.parse(doc)).toMatchObject({ doc: 'a row', 'x-owner': 'sales' });
  });

  it('keeps logical types, and writes a bare primitive object as its name', () => {
    const ts = { type: 'long', logicalType: 'timestamp-millis' };
    const money = { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 };
    const text = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'at', type: ts }, { name: 'total', type: money }, { name: 's', type: { type: 'string' } }] });
    expect(JSON.parse(parseAvro(text).canonical).fields).toEqual([
      { name: 'at', type: ts },
      { name: 'total', type: money },
      { name: 's', type: 'string' },
    ]);
  });

  it('qualifies nested named types and references with the enclosing namespace', () => {
    const text = JSON.stringify({
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      fields: [
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
        { name: 'previous', type: ['null', 'Status'], default: null },
        { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', namespace: 'lines', fields: [{ name: 'sku', type: 'string' }] } } },
      ],
    });
    expect(JSON.parse(parseAvro(text).canonical)).toEqual({
      type: 'record',
      name: 'shop.Order',
      fields: [
        { name: 'status', type: { type: 'enum', name: 'shop.Status', symbols: ['NEW', 'PAID'] } },
        { name: 'previous', type: ['null', 'shop.Status'], default: null },
        { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'lines.Line', fields: [{ name: 'sku', type: 'string' }] } } },
      ],
    });
  });

  it('accepts primitive schemas, quoted or bare', () => {
    expect(parseAvro('"string"').canonical).toBe('"string"');
    expect(parseAvro('long').canonical).toBe('"long"');
  });

  it('resolves named types from references and leaves them as names in the canonical form', () => {
    const address = parseAvro('{"type":"record","name":"Address","namespace":"shop","fields":[{"name":"city","type":"string"}]}');
    const customer = parseAvro('{"type":"record","name":"Customer","namespace":"shop","fields":[{"name":"home","type":"Address"}]}', [address.canonical]);
    expect(JSON.parse(customer.canonical)).toEqual({ type: 'record', name: 'shop.Customer', fields: [{ name: 'home', type: 'shop.Address' }] });
    expect(customer.type.fromBuffer(customer.type.toBuffer({ home: { city: 'Oslo' } }))).toEqual({ home: { city: 'Oslo' } });
  });

  it('refuses invalid schemas with 42201 and avsc\'s reason', () => {
    const missing = fail(() => parseAvro('{"type":"record","name":"X","fields":[{"name":"a","type":"Nope"}]}'));
    expect([missing.status, missing.errorCode, missing.message]).toEqual([422, 42201, 'Invalid schema: undefined type name: Nope']);
    expect(fail(() => parseAvro('{"type":"record","name":"X"}')).errorCode).toBe(42201);
    expect(fail(() => parseAvro('{"type":"enum","name":"E","symbols":["A","A"]}')).errorCode).toBe(42201);
  });
});
