import avro from 'avsc';
import { normalizeDecimal } from '../../../../schemas/logical-types.ts';

/** A field that cannot be converted; `path` names it (e.g. lines.2.unit_price). */
export class CoercionError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
  }
}

/**
 * Converts loosely typed input (CSV text, JSON, Parquet values) to the in-memory form of
 * an Avro type: numbers from digit strings, decimals normalised to their scale (never
 * rounded), timestamps from ISO text ("2019-10-01 00:00:00 UTC" too) or epoch ms, dates
 * from YYYY-MM-DD, booleans from true/false/1/0/yes/no, nested arrays and maps from JSON
 * text, bytes from base64. An empty string is null in a nullable field. Missing fields take
 * their schema default. Anything else throws a CoercionError naming the field.
 */
export function coerce(type: avro.Type, value: unknown, path = ''): unknown {
  const name = type.typeName;
  if (name.startsWith('union')) {
    const branches = (type as avro.types.UnwrappedUnionType).types;
    const nullable = branches.some((b: avro.Type) => b.typeName === 'null');
    if (value === null || value === undefined || (nullable && value === '')) {
      if (nullable) return null;
      throw new CoercionError(path, 'is required');
    }
    const other = branches.filter((b: avro.Type) => b.typeName !== 'null');
    if (other.length !== 1) return value;
    return coerce(other[0]!, value, path);
  }
  if (value === undefined || value === null) throw new CoercionError(path, 'is required');
  switch (name) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
      throw new CoercionError(path, `${JSON.stringify(value)} is not text`);
    case 'int':
    case 'long':
      return integer(value, path, name === 'int' ? 2 ** 31 : 2 ** 53);
    case 'float':
    case 'double': {
      const n = typeof value === 'number' ? value : Number(value);
      if (typeof value === 'boolean' || !Number.isFinite(n) || (typeof value === 'string' && value.trim() === '')) throw new CoercionError(path, `${JSON.stringify(value)} is not a number`);
      return n;
    }
    case 'boolean':
      return bool(value, path);
    case 'enum':
      if (typeof value === 'string' && (type as avro.types.EnumType).symbols.includes(value)) return value;
      throw new CoercionError(path, `${JSON.stringify(value)} is not one of ${(type as avro.types.EnumType).symbols.join(', ')}`);
    case 'bytes':
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value);
      if (typeof value === 'string') return Buffer.from(value, 'base64');
      throw new CoercionError(path, 'is not base64 text');
    case 'logical:decimal': {
      const scale = (type as unknown as { scale: number }).scale;
      const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
      if (text === null) throw new CoercionError(path, `${JSON.stringify(value)} is not a decimal`);
      try {
        return normalizeDecimal(text, scale);
      } catch (err) {
        throw new CoercionError(path, (err as Error).message);
      }
    }
    case 'logical:timestamp-millis':
      return timestamp(value, path);
    case 'logical:date':
      return day(value, path);
    case 'array': {
      const list = typeof value === 'string' ? json(value, path) : value;
      if (!Array.isArray(list)) throw new CoercionError(path, 'is not a list');
      const items = (type as avro.types.ArrayType).itemsType;
      return list.map((v, i) => coerce(items, v, `${path}.${i}`));
    }
    case 'map': {
      const obj = typeof value === 'string' ? json(value, path) : value;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new CoercionError(path, 'is not an object');
      const values = (type as avro.types.MapType).valuesType;
      return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, coerce(values, v, `${path}.${k}`)]));
    }
    case 'record':
      return coerceRecord(type as avro.types.RecordType, typeof value === 'string' ? json(value, path) : value, path);
    default:
      if (name.startsWith('logical:')) return coerce((type as avro.types.LogicalType).underlyingType, value, path);
      throw new CoercionError(path, `unsupported type ${name}`);
  }
}

/** A record's fields coerced one by one; missing fields take their default. */
export function coerceRecord(type: avro.types.RecordType, value: unknown, path = ''): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CoercionError(path || '(record)', 'is not an object');
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    const p = path ? `${path}.${f.name}` : f.name;
    const v = input[f.name];
    const fallback = f.defaultValue();
    out[f.name] = (v === undefined || (v === '' && fallback !== undefined && fallback !== null)) && fallback !== undefined ? fallback : coerce(f.type, v, p);
  }
  return out;
}

function integer(value: unknown, path: string, limit: number): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && /^\s*[+-]?\d+(\.0+)?\s*$/.test(value)) n = Number(value);
  else throw new CoercionError(path, `${JSON.stringify(value)} is not an integer`);
  if (!Number.isInteger(n) || n >= limit || n < -limit) throw new CoercionError(path, `${String(value)} is not an integer in range`);
  return n;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  const t = String(value).trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 't'].includes(t)) return true;
  if (['false', '0', 'no', 'n', 'f'].includes(t)) return false;
  throw new CoercionError(path, `${JSON.stringify(value)} is not a boolean`);
}

/** Epoch ms from a number, digit text, or ISO-like text (a trailing " UTC" means Z). */
export function timestamp(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'string') {
    const t = value.trim();
    if (/^\d{10,16}$/.test(t)) return Number(t);
    const iso = t.replace(/ UTC$/, 'Z').replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
    const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`;
    const ms = Date.parse(withZone);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new CoercionError(path, `${JSON.stringify(value)} is not a timestamp`);
}

function day(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    const ms = Date.parse(`${value.trim()}T00:00:00Z`);
    if (!Number.isNaN(ms)) return ms / 86_400_000;
  }
  throw new CoercionError(path, `${JSON.stringify(value)} is not a date (YYYY-MM-DD)`);
}

function json(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CoercionError(path, 'is not valid JSON');
  }
}
