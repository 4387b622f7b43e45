import { describe, expect, test } from 'vitest';
import { AvroSerde, InMemorySchemaResolver, SerdeError, Serdes, topicSubject, type AvroSchema } from '../../../runtime/index.ts';

describe('built-in serdes', () => {
  test('String is UTF-8 and passes null through', () => {
    const s = Serdes.String();
    expect(s.serialize('t', 'héllo')).toEqual(Buffer.from([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]));
    expect(s.deserialize('t', Buffer.from('héllo'))).toBe('héllo');
    expect(s.serialize('t', null as unknown as string)).toBeNull();
    expect(s.deserialize('t', null)).toBeNull();
  });

  test('Json round-trips objects as UTF-8 JSON and rejects bad bytes', () => {
    const s = Serdes.Json<{ a: number[] }>();
    expect(s.serialize('t', { a: [1, 2] })!.toString('utf8')).toBe('{"a":[1,2]}');
    expect(s.deserialize('t', Buffer.from('{"a":[3]}'))).toEqual({ a: [3] });
    expect(() => s.deserialize('t', Buffer.from('{oops'))).toThrow(SyntaxError);
  });

  test('Long writes 8-byte big-endian two\'s complement like Kafka\'s LongSerde', () => {
    const s = Serdes.Long();
    expect(s.serialize('t', 1)).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]));
    expect(s.serialize('t', -1)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(s.serialize('t', 2 ** 32)).toEqual(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]));
    expect(s.serialize('t', -(2 ** 32) - 1)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff]));
    for (const n of [0, 1, -1, 255, -256, 2 ** 40 + 7, -(2 ** 45) + 3, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      const bytes = s.serialize('t', n)!;
      expect(bytes.readBigInt64BE(0)).toBe(BigInt(n));
      expect(s.deserialize('t', bytes)).toBe(n);
    }
  });

  test('Long refuses what it cannot represent exactly', () => {
    const s = Serdes.Long();
    expect(() => s.serialize('t', 1.5)).toThrow('LongSerde expects a safe integer, got 1.5');
    expect(() => s.serialize('t', 2 ** 60)).toThrow(RangeError);
    expect(() => s.deserialize('t', Buffer.from([1, 2, 3]))).toThrow('LongSerde expects 8 bytes, got 3');
    const big = Buffer.alloc(8);
    big.writeBigInt64BE(2n ** 62n);
    expect(() => s.deserialize('t', big)).toThrow('does not fit a safe JS integer');
  });

  test('Double is an 8-byte big-endian IEEE-754 value', () => {
    const s = Serdes.Double();
    expect(s.serialize('t', 1.5)).toEqual(Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]));
    expect(s.deserialize('t', s.serialize('t', -0.1)!)).toBe(-0.1);
  });

  test('Bytes passes buffers unchanged', () => {
    const b = Buffer.from([1, 2, 3]);
    expect(Serdes.Bytes().serialize('t', b)).toBe(b);
    expect(Serdes.Bytes().deserialize('t', b)).toBe(b);
  });
});

describe('AvroSerde (Confluent wire format)', () => {
  const v1: AvroSchema = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }, { name: 'qty', type: 'int' }] };
  const v2: AvroSchema = {
    type: 'record',
    name: 'Order',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'qty', type: 'int' },
      { name: 'note', type: 'string', default: '' },
    ],
  };

  test('writes magic byte 0, the 4-byte big-endian schema id and the Avro body', async () => {
    const resolver = new InMemorySchemaResolver();
    resolver.register('other-value', { type: 'string' }); // takes id 1
    const serde = new AvroSerde<{ id: string; qty: number }>({ schema: v1, resolver });
    await serde.prepare('orders');
    const bytes = serde.serialize('orders', { id: 'a', qty: 3 })!;
    // id 'a': zig-zag length 1 -> 0x02, 'a' = 0x61; qty 3 -> zig-zag 6
    expect(bytes).toEqual(Buffer.from([0, 0, 0, 0, 2, 0x02, 0x61, 0x06]));
    expect(serde.deserialize('orders', bytes)).toEqual({ id: 'a', qty: 3 });
    expect(await resolver.idsFor(topicSubject('orders', false))).toEqual([2]);
  });

  test('reads records written with an older schema version registered under the subject', async () => {
    const resolver = new InMemorySchemaResolver();
    const writerV1 = new AvroSerde<{ id: string; qty: number }>({ schema: v1, resolver });
    await writerV1.prepare('orders');
    const old = writerV1.serialize('orders', { id: 'x', qty: 1 })!;
    const readerV2 = new AvroSerde<{ id: string; qty: number; note: string }>({ schema: v2, resolver });
    await readerV2.prepare('orders');
    expect(readerV2.deserialize('orders', old)).toEqual({ id: 'x', qty: 1, note: '' });
    expect(readerV2.serialize('orders', { id: 'y', qty: 2, note: 'n' })!.readUInt32BE(1)).toBe(2);
  });

  test('fails clearly on bytes that are not Confluent Avro, unknown ids, and unprepared topics', async () => {
    const resolver = new InMemorySchemaResolver();
    const serde = new AvroSerde<{ id: string; qty: number }>({ schema: v1, resolver });
    expect(() => serde.serialize('orders', { id: 'a', qty: 1 })).toThrow("AvroSerde was not prepared for topic orders: await serde.prepare('orders') first");
    await serde.prepare('orders');
    expect(() => serde.deserialize('orders', Buffer.from('{"id":"a"}'))).toThrow(SerdeError);
    expect(() => serde.deserialize('orders', Buffer.from([0, 0, 0, 0, 99, 2, 0x61]))).toThrow('schema id 99 on orders was not prepared');
  });

  test('uses the key subject when isKey is set', async () => {
    const resolver = new InMemorySchemaResolver();
    const serde = new AvroSerde<string>({ schema: 'string', resolver, isKey: true });
    await serde.prepare('orders');
    expect(await resolver.idsFor('orders-key')).toEqual([1]);
    expect(serde.deserialize('orders', serde.serialize('orders', 'k1'))).toBe('k1');
  });
});
