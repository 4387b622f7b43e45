import avro from 'avsc';
import { SerdeError } from '../errors/runtime-errors.ts';
import { registryCall, SchemaRegistryError } from './internal/registry-http.ts';
import type { AvroSchema, SchemaResolver } from './schema-resolver.ts';

export { SchemaRegistryError } from './internal/registry-http.ts';

export interface RegistrySchemaResolverOptions {
  /** Base URL of a Confluent-compatible registry, e.g. http://127.0.0.1:8081. */
  url: string;
  /** Register the serde's schema when the subject lacks it (default true); else only look it up. */
  autoRegister?: boolean;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

interface Reference {
  name: string;
  subject: string;
  version: number;
}
interface SchemaAnswer {
  schema: string;
  schemaType?: string;
  references?: Reference[];
}

/**
 * A SchemaResolver over a Confluent-compatible schema registry's REST API. Every answer
 * is cached (an id's schema never changes), and concurrent asks for one id share one
 * request, so AvroSerde's `prepare` pays each lookup once. A schema with references is
 * returned self-contained: the referenced named types are resolved and inlined.
 *
 * Errors: an id the registry does not know fails with SerdeError DESERIALIZATION_FAILED
 * (a data problem: the record goes to the dead-letter topic); any other registry failure
 * is a SchemaRegistryError (SCHEMA_REGISTRY_FAILED, retriable when the registry is down).
 */
export class RegistrySchemaResolver implements SchemaResolver {
  private readonly ids = new Map<string, Promise<number>>();
  private readonly schemas = new Map<number, Promise<AvroSchema>>();

  constructor(private readonly options: RegistrySchemaResolverOptions) {
    if (!/^https?:\/\/\S+$/.test(options.url)) throw new SchemaRegistryError(`registry url "${options.url}" is not an http(s) URL`, 0, 0);
  }

  idFor(subject: string, schema: AvroSchema): Promise<number> {
    const key = `${subject}\0${JSON.stringify(schema)}`;
    return this.cached(this.ids, key, async () => {
      const path = `/subjects/${encodeURIComponent(subject)}`;
      const body = { schema: JSON.stringify(schema) };
      const answer = this.options.autoRegister === false ? await this.call<{ id: number }>('POST', path, body) : await this.call<{ id: number }>('POST', `${path}/versions`, body);
      return answer.id;
    });
  }

  schemaFor(id: number): Promise<AvroSchema> {
    return this.cached(this.schemas, id, async () => {
      try {
        return await this.selfContained(await this.call<SchemaAnswer>('GET', `/schemas/ids/${id}`));
      } catch (err) {
        if (err instanceof SchemaRegistryError && err.errorCode === 40403) {
          throw new SerdeError('DESERIALIZATION_FAILED', `schema id ${id} is not known to the schema registry at ${this.options.url}`, { cause: err });
        }
        throw err;
      }
    });
  }

  /** Ids of every version of `subject`, soft-deleted ones included: records written with them still exist. */
  async idsFor(subject: string): Promise<number[]> {
    const path = `/subjects/${encodeURIComponent(subject)}/versions`;
    let versions: number[];
    try {
      versions = await this.call<number[]>('GET', `${path}?deleted=true`);
    } catch (err) {
      if (err instanceof SchemaRegistryError && err.errorCode === 40401) return [];
      throw err;
    }
    const answers = await Promise.all(versions.map((v) => this.call<{ id: number }>('GET', `${path}/${v}?deleted=true`)));
    return [...new Set(answers.map((a) => a.id))];
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return registryCall<T>(this.options.url, method, path, body, this.options.timeoutMs);
  }

  private cached<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let p = cache.get(key);
    if (!p) {
      p = load();
      cache.set(key, p);
      p.catch(() => cache.delete(key)); // failures are not cached
    }
    return p;
  }

  /** The schema with the named types of its references inlined (avsc has no reference resolution). */
  private async selfContained(answer: SchemaAnswer): Promise<AvroSchema> {
    if ((answer.schemaType ?? 'AVRO') !== 'AVRO') {
      throw new SchemaRegistryError(`schema type ${answer.schemaType} is not Avro`, 422, 42201);
    }
    const schema = JSON.parse(answer.schema) as AvroSchema;
    if (!answer.references || answer.references.length === 0) return schema;
    const registry: Record<string, avro.Type> = {};
    for (const text of await this.referencedSchemas(answer.references, new Set())) {
      avro.Type.forSchema(JSON.parse(text) as avro.Schema, { registry });
    }
    return avro.Type.forSchema(schema as avro.Schema, { registry }).schema() as AvroSchema;
  }

  private async referencedSchemas(refs: Reference[], seen: Set<string>): Promise<string[]> {
    const out: string[] = [];
    for (const ref of refs) {
      const key = `${ref.subject}\0${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const v = await this.call<SchemaAnswer>('GET', `/subjects/${encodeURIComponent(ref.subject)}/versions/${ref.version}`);
      out.push(...(await this.referencedSchemas(v.references ?? [], seen)), v.schema);
    }
    return out;
  }
}
