import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import avro from 'avsc';
import { IcebergError } from '../errors.ts';
import { parseJson, stringifyJson } from './lossless-json.ts';

/**
 * Avro object container files (Avro 1.11 spec, "Object Container Files"), the format
 * of Iceberg manifests and manifest lists:
 *
 *   header  := 'O' 'b' 'j' 0x01
 *              metadata: map<bytes> as blocks of (count: long, count × (key: string, value: bytes)), ending with count 0
 *              sync: 16 random bytes
 *   block*  := count: long, size: long, data: size bytes (the records, deflated when avro.codec = deflate), sync
 *
 * long = zig-zag varint; string/bytes = long length + bytes. The schema is written to
 * `avro.schema` exactly as given, so Iceberg's field-id, element-id, key-id and
 * value-id attributes reach the file (avsc's BlockEncoder, given a Type, drops them).
 * Longs are read as numbers when safe and as bigint beyond 2^53 (snapshot ids).
 */
const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);

const longType = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => {
    const n = buf.readBigInt64LE();
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  },
  toBuffer: (n: number | bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return b;
  },
  fromJSON: (x: unknown) => x,
  toJSON: (n: number | bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n)),
  compare: (a: number | bigint, b: number | bigint) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0),
});

export function avroType(schema: object): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { registry: { long: longType } as never, wrapUnions: false });
}

function zigzag(n: number): Buffer {
  let z = BigInt(n) >= 0n ? BigInt(n) << 1n : (-BigInt(n) << 1n) - 1n;
  const out: number[] = [];
  while (z > 0x7fn) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}

const bytesOf = (b: Buffer) => Buffer.concat([zigzag(b.length), b]);

export function writeContainer(schema: object, records: unknown[], metadata: Record<string, string>): Buffer {
  const type = avroType(schema);
  const meta: Record<string, string> = { 'avro.schema': stringifyJson(schema), 'avro.codec': 'deflate', ...metadata };
  const parts: Buffer[] = [MAGIC, zigzag(Object.keys(meta).length)];
  for (const [k, v] of Object.entries(meta)) parts.push(bytesOf(Buffer.from(k)), bytesOf(Buffer.from(v)));
  const sync = randomBytes(16);
  parts.push(zigzag(0), sync);
  if (records.length > 0) {
    const data = deflateRawSync(Buffer.concat(records.map((r) => type.toBuffer(r))));
    parts.push(zigzag(records.length), zigzag(data.length), data, sync);
  }
  return Buffer.concat(parts);
}

export function readContainer(buf: Buffer): { schema: object; metadata: Record<string, string>; records: unknown[] } {
  let pos = 0;
  const long = (): number => {
    let shift = 0n;
    let z = 0n;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new IcebergError('BAD_AVRO', 'Avro file ends inside a varint');
      z |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7n;
    }
    return Number(z & 1n ? -(z >> 1n) - 1n : z >> 1n);
  };
  const bytes = (): Buffer => {
    const n = long();
    pos += n;
    return buf.subarray(pos - n, pos);
  };
  if (!buf.subarray(0, 4).equals(MAGIC)) throw new IcebergError('BAD_AVRO', 'not an Avro object container file');
  pos = 4;
  const metadata: Record<string, string> = {};
  for (let n = long(); n !== 0; n = long()) {
    if (n < 0) {
      long(); // block size in bytes
      n = -n;
    }
    for (let i = 0; i < n; i++) metadata[bytes().toString()] = bytes().toString();
  }
  const sync = buf.subarray(pos, pos + 16);
  pos += 16;
  const schema = parseJson<object>(metadata['avro.schema'] ?? 'null');
  const type = avroType(schema);
  const codec = metadata['avro.codec'] ?? 'null';
  const records: unknown[] = [];
  while (pos < buf.length) {
    const count = long();
    const raw = bytes();
    const data = codec === 'deflate' ? inflateRawSync(raw) : codec === 'null' ? raw : undefined;
    if (!data) throw new IcebergError('BAD_AVRO', `Avro codec ${codec} is not supported`);
    let off = 0;
    for (let i = 0; i < count; i++) {
      const r = type.decode(data, off);
      records.push(r.value);
      off = r.offset;
    }
    if (!buf.subarray(pos, pos + 16).equals(sync)) throw new IcebergError('BAD_AVRO', 'Avro block sync marker mismatch');
    pos += 16;
  }
  return { schema, metadata, records };
}
