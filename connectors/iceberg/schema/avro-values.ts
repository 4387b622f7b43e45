import { IcebergError } from '../errors.ts';
import type { AvroSchema } from './avro-to-iceberg.ts';

/** A row in the form the Parquet writer takes: longs, timestamps and decimals as bigint. */
export type Row = Record<string, unknown>;
type Convert = (v: unknown, path: string) => unknown;

/**
 * Builds a function that turns a record decoded from Avro (by avsc, or its JSON form)
 * into a Row. It follows the Avro schema, because only the Avro logical type says
 * whether a long counts milliseconds or microseconds:
 *
 * - timestamp-millis / local-timestamp-millis: ms → µs; a Date or ISO string is accepted;
 * - decimal: an unscaled big-endian Buffer (Avro binary), a decimal string, or a
 *   bigint (already unscaled) → unscaled bigint. A JS number is rejected unless it is
 *   an integer: money must not pass through a float;
 * - date: days, or a Date / 'YYYY-MM-DD'.
 * A value that does not fit throws an IcebergError naming the field.
 */
export function avroRowConverter(avro: AvroSchema): (record: unknown) => Row {
  const conv = build(avro);
  return (record) => conv(record, '') as Row;
}

function bad(path: string, v: unknown, want: string): never {
  throw new IcebergError('BAD_RECORD', `field "${path}": ${JSON.stringify(typeof v === 'bigint' ? v.toString() : v)?.slice(0, 60)} is not ${want}`);
}

function build(s: AvroSchema): Convert {
  if (Array.isArray(s)) {
    const inner = build(s.find((b) => b !== 'null')!);
    return (v, p) => (v === null || v === undefined ? null : inner(unwrapUnion(v), p));
  }
  if (typeof s === 'string') return primitive(s, {});
  const t = s.type;
  if (t === 'record') {
    const fields = (s.fields as { name: string; type: AvroSchema }[]).map((f) => [f.name, build(f.type)] as const);
    return (v, p) => {
      if (typeof v !== 'object' || v === null) bad(p, v, 'a record');
      const out: Row = {};
      for (const [name, c] of fields) out[name] = c((v as Row)[name], p ? `${p}.${name}` : name);
      return out;
    };
  }
  if (t === 'array') {
    const el = build(s.items as AvroSchema);
    return (v, p) => (Array.isArray(v) ? v.map((x) => el(x, `${p}[]`)) : bad(p, v, 'an array'));
  }
  if (t === 'map') {
    const val = build(s.values as AvroSchema);
    return (v, p) => {
      if (typeof v !== 'object' || v === null) bad(p, v, 'a map');
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
      return entries.map(([key, value]) => ({ key, value: val(value, `${p}.${String(key)}`) }));
    };
  }
  if (typeof t === 'string') return primitive(t, s);
  return build(t);
}

/** avsc may wrap union branches as `{ "long": 5 }` (wrapUnions); the JSON form always does. */
function unwrapUnion(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && /^(int|long|float|double|string|boolean|bytes)$/.test(keys[0]!)) return (v as Row)[keys[0]!];
  }
  return v;
}

function primitive(t: string, s: { [k: string]: unknown }): Convert {
  const logical = s.logicalType as string | undefined;
  if (logical === 'decimal') return decimal(Number(s.scale ?? 0));
  if (logical === 'timestamp-millis' || logical === 'local-timestamp-millis') return instant(1000n);
  if (logical === 'timestamp-micros' || logical === 'local-timestamp-micros') return instant(1n);
  if (logical === 'date') return (v, p) => (typeof v === 'number' ? v : Math.floor(instantMs(v, p) / 86_400_000));
  if (logical === 'uuid') return (v, p) => (typeof v === 'string' ? uuidBytes(v, p) : bad(p, v, 'a uuid string'));
  switch (t) {
    case 'int': return (v, p) => (Number.isInteger(v) ? v : bad(p, v, 'an int'));
    case 'long': return (v, p) => (typeof v === 'bigint' ? v : Number.isInteger(v) ? BigInt(v as number) : typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : bad(p, v, 'a long'));
    case 'float':
    case 'double': return (v, p) => (typeof v === 'number' ? v : bad(p, v, 'a number'));
    case 'boolean': return (v, p) => (typeof v === 'boolean' ? v : bad(p, v, 'a boolean'));
    case 'string':
    case 'enum': return (v, p) => (typeof v === 'string' ? v : bad(p, v, 'a string'));
    case 'bytes':
    case 'fixed': return (v, p) => (v instanceof Uint8Array ? v : typeof v === 'string' ? Buffer.from(v, 'latin1') : bad(p, v, 'bytes'));
    default: throw new IcebergError('BAD_SCHEMA', `Avro type "${t}" has no Iceberg mapping`);
  }
}

function instantMs(v: unknown, p: string): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  return bad(p, v, 'a timestamp');
}

function instant(scale: bigint): Convert {
  return (v, p) => {
    if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v) * scale;
    if (typeof v === 'bigint') return v * scale;
    return BigInt(instantMs(v, p)) * 1000n;
  };
}

function decimal(scale: number): Convert {
  return (v, p) => {
    if (typeof v === 'bigint') return v;
    if (v instanceof Uint8Array) {
      let n = 0n;
      for (const b of v) n = (n << 8n) | BigInt(b);
      return v.length > 0 && v[0]! & 0x80 ? n - (1n << BigInt(v.length * 8)) : n;
    }
    const text = typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : bad(p, v, `a decimal with scale ${scale}`);
    const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (!m || (m[3] ?? '').length > scale) bad(p, v, `a decimal with scale ${scale}`);
    const digits = (m[2] || '0') + (m[3] ?? '').padEnd(scale, '0');
    return (m[1] ? -1n : 1n) * BigInt(digits);
  };
}

function uuidBytes(v: string, p: string): Uint8Array {
  const hex = v.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) bad(p, v, 'a uuid');
  return Buffer.from(hex, 'hex');
}
