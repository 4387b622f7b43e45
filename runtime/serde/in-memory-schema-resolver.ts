import { SerdeError } from '../errors/runtime-errors.ts';
import type { AvroSchema, SchemaResolver } from './schema-resolver.ts';

/**
 * A registry in memory, for tests and the test driver: ids are given out from 1 in
 * registration order, and the same schema text under a subject keeps its id.
 */
export class InMemorySchemaResolver implements SchemaResolver {
  private readonly byId = new Map<number, AvroSchema>();
  private readonly bySubject = new Map<string, Map<string, number>>();
  private nextId = 1;

  async idFor(subject: string, schema: AvroSchema): Promise<number> {
    return this.register(subject, schema);
  }

  /** Synchronous registration, handy to set up a test. */
  register(subject: string, schema: AvroSchema): number {
    const text = JSON.stringify(schema);
    let versions = this.bySubject.get(subject);
    if (versions === undefined) this.bySubject.set(subject, (versions = new Map()));
    const known = versions.get(text);
    if (known !== undefined) return known;
    const id = this.nextId++;
    versions.set(text, id);
    this.byId.set(id, schema);
    return id;
  }

  async schemaFor(id: number): Promise<AvroSchema> {
    const schema = this.byId.get(id);
    // As the registry resolver: an unknown id is a data problem (the record is undecodable).
    if (schema === undefined) throw new SerdeError('DESERIALIZATION_FAILED', `schema id ${id} is not registered`);
    return schema;
  }

  async idsFor(subject: string): Promise<number[]> {
    return [...(this.bySubject.get(subject)?.values() ?? [])];
  }
}
