import avro from 'avsc';
import { Errors } from './errors.ts';

export type AvroType = avro.Type;

/**
 * A parsed Avro schema. `canonical` is the form the registry stores, compares and
 * returns: the schema as minified JSON with full names, keeping docs, defaults, aliases
 * and custom attributes (so two schemas that differ only in whitespace or namespace
 * spelling get one id, while a changed default is a new schema). Named types that come
 * from references stay references by name.
 */
export interface ParsedAvro {
  type: AvroType;
  canonical: string;
}

/**
 * Parses `schema` after the schemas it references (`referenced`, dependencies first,
 * as the registry resolves them). Throws a 42201 RegistryError with avsc's reason.
 */
export function parseAvro(schema: string, referenced: string[] = []): ParsedAvro {
  const registry: Record<string, AvroType> = {};
  const refNames = new Set<string>();
  for (const ref of referenced) {
    const t = forSchema(ref, registry, 'referenced schema');
    if (t.name) refNames.add(t.name);
  }
  const type = forSchema(schema, registry, 'schema');
  const canonical = refNames.size > 0 ? canonicalWithRefs(type, refNames) : JSON.stringify(type.schema({ exportAttrs: true }));
  return { type, canonical };
}

function forSchema(text: string, registry: Record<string, AvroType>, what: string): AvroType {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A bare name such as "string" may be given without quotes by some clients.
    json = text.trim();
  }
  try {
    return avro.Type.forSchema(json as avro.Schema, { registry });
  } catch (err) {
    throw Errors.invalidSchema(`Invalid ${what}: ${(err as Error).message}`);
  }
}

/** Canonical JSON in which the types defined by references are left as their names. */
function canonicalWithRefs(type: AvroType, refNames: Set<string>): string {
  const full = type.schema({ exportAttrs: true }) as unknown;
  const seen = new Set<string>();
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.name === 'string' && refNames.has(o.name) && typeof o.type === 'string' && isNamedKind(o.type)) {
        return o.name;
      }
      if (typeof o.name === 'string' && isNamedKind(String(o.type))) {
        if (seen.has(o.name)) return o.name;
        seen.add(o.name);
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) out[k] = k === 'type' || k === 'fields' || k === 'items' || k === 'values' ? strip(v) : v;
      return out;
    }
    return node;
  };
  return JSON.stringify(strip(full));
}

function isNamedKind(t: string): boolean {
  return t === 'record' || t === 'error' || t === 'enum' || t === 'fixed';
}
