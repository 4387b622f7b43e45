import { IcebergError } from '../errors.ts';
import { avroRowConverter, type Row } from '../schema/avro-values.ts';
import type { AvroSchema } from '../schema/avro-to-iceberg.ts';
import { decimalOf, type NestedField } from '../schema/types.ts';

/**
 * How a Kafka record key carries the key columns of an upsert table, so that a tombstone
 * (a record with a null value, which has nothing else) can name the row it deletes. The
 * key is UTF-8 text in all three formats:
 *
 * - `text`: the whole key is the value of the single key column, e.g. `c-42` or `42`
 *   (a number for an int or long column);
 * - `json-array`: a JSON array holding the key columns in the table's `key` order,
 *   e.g. `["web","DE"]` for `key: ['channel', 'country']`;
 * - `json-object`: a JSON object with a member per key column, e.g.
 *   `{"channel":"web","country":"DE"}` (members that are not key columns are ignored).
 *
 * Values are converted as the value rows are (a long from a JSON number or digit string,
 * a decimal from decimal text), so the decoded key equals the key of the row it deletes.
 * A timestamp key column takes epoch milliseconds (as Avro timestamp-millis and the
 * pipeline's JSON keys carry them) or ISO-8601 text.
 */
export type KeyFormat = 'text' | 'json-array' | 'json-object';

export const KEY_FORMATS: readonly KeyFormat[] = ['text', 'json-array', 'json-object'];

/** Iceberg primitive type → the Avro type whose value conversion the row writer uses. */
function avroTypeOf(field: NestedField): AvroSchema {
  const t = field.type;
  const decimal = decimalOf(t);
  if (decimal) return { type: 'bytes', logicalType: 'decimal', precision: decimal.precision, scale: decimal.scale };
  switch (t) {
    case 'string':
    case 'int':
    case 'long':
    case 'boolean':
    case 'float':
    case 'double':
      return t;
    case 'date':
      return { type: 'int', logicalType: 'date' };
    case 'timestamp':
    case 'timestamptz':
      return { type: 'long', logicalType: 'timestamp-millis' };
    case 'uuid':
      return { type: 'string', logicalType: 'uuid' };
    default:
      throw new IcebergError('BAD_RECORD', `key column "${field.name}" of type ${JSON.stringify(t)} cannot be decoded from a record key`);
  }
}

/** Text of a `text` key, as JSON-like input for the column's type. */
function fromText(text: string, type: AvroSchema): unknown {
  const timestamp = typeof type === 'object' && !Array.isArray(type) && type.logicalType === 'timestamp-millis';
  if (timestamp) return /^-?\d+$/.test(text) ? BigInt(text) : text;
  if (type === 'int' || type === 'float' || type === 'double') return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

const preview = (key: Buffer) => JSON.stringify(key.toString('utf8').slice(0, 80));

/**
 * Builds the decoder of record keys into key rows (one member per key column) for a
 * table's key columns. Throws IcebergError BAD_RECORD naming the key and the reason
 * when a key does not decode, so the sink can dead-letter the record.
 */
export function recordKeyDecoder(format: KeyFormat, columns: NestedField[]): (key: Buffer | null) => Row {
  if (columns.length === 0) throw new IcebergError('BAD_CONFIG', 'a record key decoder needs key columns');
  if (format === 'text' && columns.length !== 1) {
    throw new IcebergError('BAD_CONFIG', `keyFormat text maps the key to one column, but the table has ${columns.length} key columns (${columns.map((c) => c.name).join(', ')}); use json-array or json-object`);
  }
  let types: AvroSchema[] | undefined;
  let convert: ((r: unknown) => Row) | undefined;
  const prepare = () => {
    if (!convert) {
      types = columns.map(avroTypeOf);
      convert = avroRowConverter({ type: 'record', name: 'Key', fields: columns.map((c, i) => ({ name: c.name, type: types![i]! })) });
    }
    return { types: types!, convert };
  };
  return (key) => {
    if (key === null || key === undefined) throw new IcebergError('BAD_RECORD', 'a tombstone without a record key cannot name the row to delete');
    const { types, convert } = prepare();
    const text = key.toString('utf8');
    const fail = (why: string): never => {
      throw new IcebergError('BAD_RECORD', `record key ${preview(key)} (keyFormat ${format}): ${why}`);
    };
    let members: Record<string, unknown>;
    if (format === 'text') {
      members = { [columns[0]!.name]: fromText(text, types[0]!) };
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        return fail(`not JSON (${(err as Error).message})`);
      }
      if (format === 'json-array') {
        if (!Array.isArray(parsed)) return fail('not a JSON array');
        if (parsed.length !== columns.length) return fail(`has ${parsed.length} elements, the key columns are ${columns.length} (${columns.map((c) => c.name).join(', ')})`);
        members = Object.fromEntries(columns.map((c, i) => [c.name, parsed[i]]));
      } else {
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('not a JSON object');
        const missing = columns.filter((c) => !Object.hasOwn(parsed, c.name)).map((c) => c.name);
        if (missing.length) return fail(`has no member ${missing.map((m) => `"${m}"`).join(', ')}`);
        members = Object.fromEntries(columns.map((c) => [c.name, (parsed as Record<string, unknown>)[c.name]]));
      }
    }
    for (const c of columns) if (members[c.name] === null || members[c.name] === undefined) fail(`key column "${c.name}" is null`);
    try {
      return convert(members);
    } catch (err) {
      if (err instanceof IcebergError && err.code === 'BAD_RECORD') return fail(err.message);
      throw err;
    }
  };
}
