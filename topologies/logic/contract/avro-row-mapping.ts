import { bytesToDecimal, decimalToBytes } from './decimal-bytes.ts';

/** An Avro schema in its JSON form, as in schemas/*.avsc. */
export type AvroJson = string | readonly AvroJson[] | { readonly type: AvroJson; readonly [key: string]: unknown };

export interface RowMapping<Row> {
  /** The row as the Avro record the schema describes (decimals as bytes), as avsc writes it. */
  toRecord(row: Row): Record<string, unknown>;
  /** The inverse: the Avro record, as avsc reads it, back to the very same row. */
  fromRecord(record: Record<string, unknown>): Row;
}

export interface MappingOptions {
  /** Avro field name → row property, where the property is not the camelCase of the name (any depth). */
  readonly renames?: Readonly<Record<string, string>>;
  /** Top-level Avro fields the row does not carry, with their value in every record; checked and dropped on the way back. */
  readonly constants?: Readonly<Record<string, unknown>>;
}

type Conv = (v: unknown, path: string) => unknown;

/**
 * Maps a gold row to its Avro record and back, following the schema:
 * - record fields: snake_case in Avro, camelCase (or `renames`) in the row;
 * - `decimal` on bytes: decimal text with exactly `scale` places ↔ unscaled bytes;
 * - `["null", T]`: null (or an absent property) ↔ null;
 * - arrays and maps element by element (map keys are data, they are never renamed);
 * - everything else (strings, numbers, booleans, timestamp-millis longs) as it is.
 * A row property the schema has no field for, or a missing required one, is an error
 * naming it: the mapping is lossless or it fails.
 */
export function avroRowMapping<Row>(schema: AvroJson, options: MappingOptions = {}): RowMapping<Row> {
  const renames = options.renames ?? {};
  const constants = options.constants ?? {};
  const top = schema as { type: string; fields: Field[] };
  if (typeof top !== 'object' || top.type !== 'record') throw new TypeError('a row mapping needs a record schema');
  const rowFields = { ...top, fields: top.fields.filter((f) => !(f.name in constants)) };
  const write = build(rowFields, 'write', renames);
  const read = build(rowFields, 'read', renames);
  return {
    toRecord: (row) => ({ ...(write(row, '') as Record<string, unknown>), ...constants }),
    fromRecord: (record) => {
      const rest = { ...record };
      for (const [name, value] of Object.entries(constants)) {
        if (rest[name] !== value) fail(name, `is ${JSON.stringify(rest[name])}, this reader expects ${JSON.stringify(value)}`);
        delete rest[name];
      }
      return read(rest, '') as Row;
    },
  };
}

/** camelCase of a snake_case Avro name: window_start → windowStart. */
export const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

interface Field {
  readonly name: string;
  readonly type: AvroJson;
}

function build(s: AvroJson, dir: 'write' | 'read', renames: Readonly<Record<string, string>>): Conv {
  if (Array.isArray(s)) {
    const branches = s.filter((b) => b !== 'null');
    if (branches.length !== 1) throw new TypeError(`only ["null", T] unions are mapped, got ${JSON.stringify(s)}`);
    const inner = build(branches[0]!, dir, renames);
    return (v, p) => (v === null || v === undefined ? null : inner(v, p));
  }
  if (typeof s === 'string') return (v, p) => (v === undefined ? fail(p, 'is missing') : v);
  const t = s as { type: AvroJson; [k: string]: unknown };
  if (t.type === 'record') return record(t.fields as Field[], dir, renames);
  if (t.type === 'array') {
    const el = build(t.items as AvroJson, dir, renames);
    return (v, p) => (Array.isArray(v) ? v.map((x, i) => el(x, `${p}[${i}]`)) : fail(p, 'is not an array'));
  }
  if (t.type === 'map') {
    const val = build(t.values as AvroJson, dir, renames);
    return (v, p) => (isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, val(x, `${p}.${k}`)])) : fail(p, 'is not a map'));
  }
  if (t.logicalType === 'decimal') {
    const precision = Number(t.precision);
    const scale = Number(t.scale ?? 0);
    return dir === 'write' ? (v, p) => guard(p, () => decimalToBytes(v as string, precision, scale)) : (v, p) => (v instanceof Uint8Array ? bytesToDecimal(v, scale) : fail(p, 'is not decimal bytes'));
  }
  return build(t.type, dir, renames);
}

function record(fields: readonly Field[], dir: 'write' | 'read', renames: Readonly<Record<string, string>>): Conv {
  const pairs = fields.map((f) => ({ avro: f.name, row: renames[f.name] ?? camelCase(f.name), conv: build(f.type, dir, renames) }));
  const [from, to] = dir === 'write' ? (['row', 'avro'] as const) : (['avro', 'row'] as const);
  const known = new Set(pairs.map((x) => x[from]));
  return (v, p) => {
    if (!isObject(v)) return fail(p, 'is not a record');
    for (const k of Object.keys(v)) if (!known.has(k)) fail(p ? `${p}.${k}` : k, 'has no field in the schema');
    const out: Record<string, unknown> = {};
    for (const x of pairs) out[x[to]] = x.conv(v[x[from]], p ? `${p}.${x[from]}` : x[from]);
    return out;
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function guard<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    return fail(path, (err as Error).message);
  }
}

function fail(path: string, why: string): never {
  throw new TypeError(`${path || 'value'}: ${why}`);
}
