import { CommitFailedError, IcebergError } from '../errors.ts';
import type { LoadedTable, RestCatalogClient } from '../client/rest-catalog-client.ts';
import { currentSchema } from '../metadata/table-metadata.ts';
import { partitionSpecFor } from '../partition/spec.ts';
import { avroToIceberg, type AvroSchema } from '../schema/avro-to-iceberg.ts';
import { nameMapping } from '../schema/name-mapping.ts';
import { findField, type Schema } from '../schema/types.ts';

export interface TableDefinition {
  namespace: string[];
  name: string;
  /** The topic's Avro value schema; the table schema follows it. */
  avro: AvroSchema;
  /** Partition expressions; default `day(event_time)` when that column exists, else none. */
  partitionBy?: string[];
  /** Primary-key columns (identifier fields) of an upsert table. */
  key?: string[];
  properties?: Record<string, string>;
}

export const NAME_MAPPING = 'schema.name-mapping.default';

/**
 * Creates the table when it does not exist, and otherwise evolves its schema to the
 * Avro schema: a new Avro field becomes a new optional column with a new field id,
 * committed as add-schema + set-current-schema with the name mapping updated in the
 * same commit. Returns the table as it is afterwards.
 */
export async function ensureTable(client: RestCatalogClient, def: TableDefinition): Promise<LoadedTable> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const existing = await client.loadTable(def.namespace, def.name);
    if (!existing) {
      await client.ensureNamespace(def.namespace);
      const { fields } = avroToIceberg(def.avro);
      const schema: Schema = { type: 'struct', 'schema-id': 0, fields, ...identifiers(fields, def.key) };
      const partitionBy = def.partitionBy ?? (findField(schema, 'event_time') ? ['day(event_time)'] : []);
      const spec = partitionSpecFor(schema, partitionBy);
      try {
        return await client.createTable(def.namespace, {
          name: def.name,
          schema,
          'partition-spec': spec,
          properties: { [NAME_MAPPING]: nameMapping(fields), 'write.format.default': 'parquet', 'write.parquet.compression-codec': 'snappy', ...def.properties },
        });
      } catch (err) {
        if (err instanceof IcebergError && err.code === 'ALREADY_EXISTS') continue;
        throw err;
      }
    }
    const m = existing.metadata;
    const current = currentSchema(m);
    const { fields, lastColumnId } = avroToIceberg(def.avro, { schema: current, lastColumnId: m['last-column-id'] });
    if (JSON.stringify(fields) === JSON.stringify(current.fields)) return existing;
    const schemaId = Math.max(...m.schemas.map((s) => s['schema-id'])) + 1;
    try {
      return await client.commit(
        def.namespace,
        def.name,
        [
          { type: 'assert-current-schema-id', 'current-schema-id': current['schema-id'] },
          { type: 'assert-last-assigned-field-id', 'last-assigned-field-id': m['last-column-id'] },
        ],
        [
          { action: 'add-schema', schema: { type: 'struct', 'schema-id': schemaId, fields, ...identifiers(fields, def.key) }, 'last-column-id': lastColumnId },
          { action: 'set-current-schema', 'schema-id': -1 },
          { action: 'set-properties', updates: { [NAME_MAPPING]: nameMapping(fields) } },
        ],
      );
    } catch (err) {
      if (!(err instanceof CommitFailedError)) throw err;
    }
  }
  throw new IcebergError('COMMIT_FAILED', `could not create or evolve ${def.namespace.join('.')}.${def.name}: too many concurrent changes`, { retriable: true });
}

function identifiers(fields: Schema['fields'], key: string[] | undefined): { 'identifier-field-ids'?: number[] } {
  if (!key?.length) return {};
  return {
    'identifier-field-ids': key.map((k) => {
      const f = fields.find((x) => x.name === k);
      if (!f || !f.required) throw new IcebergError('BAD_SCHEMA', `key column "${k}" must be a required top-level field`);
      return f.id;
    }),
  };
}
