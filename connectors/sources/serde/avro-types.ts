import avro from 'avsc';
import { SCHEMAS } from '../../../schemas/generated/index.ts';
import { LOGICAL_TYPES_WITH_TIME } from '../../../schemas/logical-types.ts';

const cache = new Map<string, avro.Type>();

/**
 * The avsc type of a schema file name (e.g. 'clickstream-event'), with streamhouse logical
 * types and time markers (so coercion can tell a timestamp from a plain long).
 */
export function avroType(schema: string): avro.Type {
  let type = cache.get(schema);
  if (!type) {
    const raw = (SCHEMAS as Record<string, unknown>)[schema];
    if (!raw) throw new Error(`unknown schema "${schema}" (no schemas/${schema}.avsc)`);
    type = avro.Type.forSchema(raw as avro.Schema, { logicalTypes: LOGICAL_TYPES_WITH_TIME });
    cache.set(schema, type);
  }
  return type;
}

/** The JSON text of a schema, as registered with a registry. */
export function schemaText(schema: string): string {
  const raw = (SCHEMAS as Record<string, unknown>)[schema];
  if (!raw) throw new Error(`unknown schema "${schema}"`);
  return JSON.stringify(raw);
}

/**
 * Why `value` does not conform to the schema, naming the offending field paths
 * (`lines.0.unit_price: "x" is not a decimal(18,4)`), or null when it does.
 */
export function schemaViolation(schema: string, value: unknown): string | null {
  const problems: string[] = [];
  const ok = avroType(schema).isValid(value, {
    errorHook: (path: string[], v: unknown, t: avro.Type) => {
      if (problems.length < 3) problems.push(`${path.join('.') || '(record)'}: ${show(v)} is not a valid ${describe(t)}`);
    },
  });
  return ok ? null : problems.join('; ') || 'does not match the schema';
}

function describe(t: avro.Type): string {
  if (t instanceof avro.types.LogicalType) {
    const d = t as unknown as { precision?: number; scale?: number };
    return t.typeName === 'logical:decimal' ? `decimal(${d.precision},${d.scale})` : t.typeName.slice(8);
  }
  return t.name ?? t.typeName;
}

function show(v: unknown): string {
  const s = v === undefined ? 'missing' : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
