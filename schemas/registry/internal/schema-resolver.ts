import { parseAvro, type AvroType, type ParsedAvro } from '../avro-schema.ts';
import { Errors } from '../errors.ts';
import type { SchemaReference, SchemaValue } from './log-records.ts';
import type { RegistryState } from './registry-state.ts';

export interface SchemaRequest {
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
}

/**
 * Parses schemas the way the registry sees them: the schema type is checked (AVRO only)
 * and the references are resolved through the state, dependencies first. Types of stored
 * versions are cached by id (an id's content never changes).
 */
export class SchemaParser {
  private readonly byId = new Map<number, AvroType>();

  constructor(private readonly state: RegistryState) {}

  parse(req: SchemaRequest): ParsedAvro {
    const type = req.schemaType ?? 'AVRO';
    if (type === 'JSON' || type === 'PROTOBUF') {
      throw Errors.invalidSchema(`Schema type ${type} is not supported by this registry; it stores AVRO schemas only`);
    }
    if (type !== 'AVRO') throw Errors.invalidSchema(`Invalid schema type ${JSON.stringify(type)}`);
    if (typeof req.schema !== 'string' || req.schema.trim() === '') throw Errors.invalidSchema('Empty schema');
    return parseAvro(req.schema, this.referencedSchemas(req.references ?? [], new Set()));
  }

  /** The type of a stored version. */
  typeOf(v: SchemaValue): AvroType {
    let t = this.byId.get(v.id);
    if (!t) {
      t = this.parse(v).type;
      this.byId.set(v.id, t);
    }
    return t;
  }

  private referencedSchemas(refs: SchemaReference[], seen: Set<string>): string[] {
    const out: string[] = [];
    for (const ref of refs) {
      if (!ref || typeof ref.subject !== 'string' || typeof ref.version !== 'number') {
        throw Errors.invalidSchema(`Invalid schema reference ${JSON.stringify(ref)}: it needs name, subject and version`);
      }
      const key = `${ref.subject}\0${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const live = this.state.versionsOf(ref.subject);
      const target = ref.version === -1 ? live.at(-1) : live.find((v) => v.version === ref.version);
      if (!target) {
        throw Errors.invalidSchema(`Invalid schema reference '${ref.name}': subject '${ref.subject}' version ${ref.version} not found`);
      }
      out.push(...this.referencedSchemas(target.references ?? [], seen), target.schema);
    }
    return out;
  }
}
