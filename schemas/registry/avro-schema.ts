import avro from 'avsc';
import { Errors } from './errors.ts';

export type AvroType = avro.Type;

/**
 * A parsed Avro schema. `canonical` is the form the registry stores, compares and
 * returns: minified JSON in which named types carry their full name (no `namespace`),
 * type references are fully qualified, `{"type":"int"}` is written `"int"`, and keys are
 * in a fixed order (`type`/`name` first, the rest sorted). Everything else is kept:
 * docs, defaults, aliases, logical types and custom attributes. So two spellings of one
 * schema get one id, while a changed default or logical type is a new schema.
 */
export interface ParsedAvro {
  type: AvroType;
  canonical: string;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

/**
 * Parses `schema` after the schemas it references (`referenced`, dependencies first,
 * as the registry resolves them). Throws a 42201 RegistryError with avsc's reason.
 */
export function parseAvro(schema: string, referenced: string[] = []): ParsedAvro {
  const registry: Record<string, AvroType> = {};
  for (const ref of referenced) forSchema(toJson(ref), registry, 'referenced schema');
  const json = toJson(schema);
  const type = forSchema(json, registry, 'schema');
  return { type, canonical: JSON.stringify(canonicalize(json, '', new Set(Object.keys(registry)))) };
}

function toJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.trim(); // a bare name such as string, as some clients send it
  }
}

function forSchema(json: unknown, registry: Record<string, AvroType>, what: string): AvroType {
  try {
    return avro.Type.forSchema(json as avro.Schema, { registry });
  } catch (err) {
    throw Errors.invalidSchema(`Invalid ${what}: ${(err as Error).message}`);
  }
}

/** The canonical JSON of a (valid) schema node within namespace `ns`. */
function canonicalize(node: unknown, ns: string, known: Set<string>): unknown {
  if (typeof node === 'string') return PRIMITIVES.has(node) ? node : qualify(node, ns, known);
  if (Array.isArray(node)) return node.map((branch) => canonicalize(branch, ns, known));
  if (!node || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  const kind = o.type;
  if (typeof kind === 'string' && PRIMITIVES.has(kind) && Object.keys(o).length === 1) return kind;
  const out: Record<string, unknown> = { type: typeof kind === 'string' ? kind : canonicalize(kind, ns, known) };
  let inner = ns;
  if (typeof kind === 'string' && NAMED.has(kind) && typeof o.name === 'string') {
    const full = fullName(o.name, typeof o.namespace === 'string' ? o.namespace : ns);
    out.name = full;
    known.add(full);
    inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
  }
  if (typeof kind === 'string' && !PRIMITIVES.has(kind) && !NAMED.has(kind) && kind !== 'array' && kind !== 'map') {
    out.type = qualify(kind, ns, known); // {"type": "SomeNamedType"}
  }
  for (const key of Object.keys(o).sort()) {
    if (key === 'type' || key === 'name' || key === 'namespace') continue;
    if (key === 'fields' && Array.isArray(o.fields)) out.fields = o.fields.map((f) => canonicalField(f, inner, known));
    else if (key === 'items' || key === 'values') out[key] = canonicalize(o[key], ns, known);
    else out[key] = o[key];
  }
  return out;
}

function canonicalField(field: unknown, ns: string, known: Set<string>): unknown {
  const f = field as Record<string, unknown>;
  const out: Record<string, unknown> = { name: f.name, type: canonicalize(f.type, ns, known) };
  for (const key of Object.keys(f).sort()) if (key !== 'name' && key !== 'type') out[key] = f[key];
  return out;
}

function fullName(name: string, ns: string): string {
  return name.includes('.') || !ns ? name : `${ns}.${name}`;
}

/** A reference to a named type, fully qualified the way avsc resolved it. */
function qualify(name: string, ns: string, known: Set<string>): string {
  const full = fullName(name, ns);
  return known.has(full) || !known.has(name) ? full : name;
}
