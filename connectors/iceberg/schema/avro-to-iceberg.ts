import { IcebergError } from '../errors.ts';
import type { IcebergType, NestedField, Schema } from './types.ts';
import { isList, isMap, isStruct, maxFieldId } from './types.ts';

/** An Avro schema in its JSON form (as the schema registry serves it). */
export type AvroSchema = string | AvroSchema[] | { type: AvroSchema; [key: string]: unknown };

interface Ctx {
  nextId: () => number;
  /** The same position in the table's current schema, whose ids are reused. */
}

/**
 * Maps an Avro record schema to an Iceberg schema.
 *
 * - `["null", T]` → optional; anything else is required;
 * - long with timestamp-millis/micros → `timestamptz` (Avro timestamps are UTC
 *   instants), local-timestamp-millis/micros → `timestamp`, both in microseconds;
 * - bytes/fixed with the decimal logical type → `decimal(P, S)` (money is never a float);
 * - int date → `date`, int time-millis / long time-micros → `time`;
 * - enum → string, record → struct, array → list, map → map<string, V>.
 *
 * Field ids: with `current` (the table's schema), fields are matched by name and keep
 * their ids; new fields get ids above `lastColumnId` and are made optional, as
 * Iceberg requires of added columns. Removed Avro fields stay in the table schema
 * (as optional) so that old files still read.
 */
export function avroToIceberg(
  avro: AvroSchema,
  current?: { schema: Schema; lastColumnId: number },
): { fields: NestedField[]; lastColumnId: number } {
  let last = current?.lastColumnId ?? 0;
  const ctx: Ctx = { nextId: () => ++last };
  const root = unwrapNullable(avro).type;
  if (typeof root !== 'object' || Array.isArray(root) || root.type !== 'record') {
    throw new IcebergError('BAD_SCHEMA', `a table schema must be an Avro record, got ${JSON.stringify(avro).slice(0, 80)}`);
  }
  const fields = structFields(root, current?.schema.fields, ctx, current !== undefined);
  return { fields, lastColumnId: Math.max(last, maxFieldId(fields)) };
}

function unwrapNullable(s: AvroSchema): { type: AvroSchema; optional: boolean } {
  if (Array.isArray(s)) {
    const rest = s.filter((b) => b !== 'null');
    if (rest.length !== 1) throw new IcebergError('BAD_SCHEMA', `only ["null", T] unions map to Iceberg, got ${JSON.stringify(s)}`);
    return { type: rest[0]!, optional: rest.length < s.length };
  }
  return { type: s, optional: false };
}

function structFields(rec: { [k: string]: unknown }, existing: NestedField[] | undefined, ctx: Ctx, evolving: boolean): NestedField[] {
  const out: NestedField[] = [];
  for (const f of rec.fields as { name: string; type: AvroSchema; doc?: string }[]) {
    const { type, optional } = unwrapNullable(f.type);
    const old = existing?.find((e) => e.name === f.name);
    const id = old?.id ?? ctx.nextId();
    const iceberg = convert(type, old?.type, ctx, evolving);
    out.push({ id, name: f.name, required: old ? old.required && !optional : !optional && !evolving, type: iceberg, ...(f.doc ? { doc: f.doc } : {}) });
  }
  for (const e of existing ?? []) {
    if (!out.some((f) => f.name === e.name)) out.push({ ...e, required: false });
  }
  return out;
}

function convert(s: AvroSchema, old: IcebergType | undefined, ctx: Ctx, evolving: boolean): IcebergType {
  if (typeof s === 'string') return primitive(s, {});
  if (Array.isArray(s)) return convert(unwrapNullable(s).type, old, ctx, evolving);
  const t = s.type;
  if (t === 'record') return { type: 'struct', fields: structFields(s, old && isStruct(old) ? old.fields : undefined, ctx, evolving && old !== undefined) };
  if (t === 'array') {
    const el = unwrapNullable(s.items as AvroSchema);
    const prev = old && isList(old) ? old : undefined;
    const id = prev?.['element-id'] ?? ctx.nextId();
    return { type: 'list', 'element-id': id, element: convert(el.type, prev?.element, ctx, evolving), 'element-required': !el.optional };
  }
  if (t === 'map') {
    const v = unwrapNullable(s.values as AvroSchema);
    const prev = old && isMap(old) ? old : undefined;
    const keyId = prev?.['key-id'] ?? ctx.nextId();
    const valueId = prev?.['value-id'] ?? ctx.nextId();
    return { type: 'map', 'key-id': keyId, key: 'string', 'value-id': valueId, value: convert(v.type, prev?.value, ctx, evolving), 'value-required': !v.optional };
  }
  if (typeof t === 'string') return primitive(t, s);
  return convert(t, old, ctx, evolving);
}

function primitive(t: string, s: { [k: string]: unknown }): IcebergType {
  const logical = s.logicalType as string | undefined;
  switch (t) {
    case 'boolean': return 'boolean';
    case 'int': return logical === 'date' ? 'date' : logical === 'time-millis' ? 'time' : 'int';
    case 'long':
      if (logical === 'timestamp-millis' || logical === 'timestamp-micros') return 'timestamptz';
      if (logical === 'local-timestamp-millis' || logical === 'local-timestamp-micros') return 'timestamp';
      return logical === 'time-micros' ? 'time' : 'long';
    case 'float': return 'float';
    case 'double': return 'double';
    case 'string': return logical === 'uuid' ? 'uuid' : 'string';
    case 'enum': return 'string';
    case 'bytes':
    case 'fixed':
      if (logical === 'decimal') return `decimal(${Number(s.precision)}, ${Number(s.scale ?? 0)})`;
      return t === 'fixed' ? `fixed[${Number(s.size)}]` : 'binary';
    default:
      throw new IcebergError('BAD_SCHEMA', `Avro type "${t}" has no Iceberg mapping`);
  }
}
