import type avro from 'avsc';
import type { TopicSpec } from '../../../../topologies/topics.ts';
import { avroType, schemaViolation } from '../../serde/avro-types.ts';
import type { SourceRow } from '../readers/source-row.ts';
import { CoercionError, coerceRecord } from './coerce.ts';
import { contentId } from './content-id.ts';
import { EMPTY_BATCH, type FileContext, type ImportBatch, type Importer } from './importer.ts';
import { topicKey } from '../../kafka/topic-key.ts';

/**
 * Imports files whose columns are the target schema's field names (the format of
 * `streamhouse` exports and of hand-made catalog, customer and campaign files): CSV text,
 * JSON Lines or Parquet values are coerced to the schema. This is also the historical
 * backfill: event times are taken from the file as they are. A row without an `event_id`
 * (for schemas that have one) gets a content-derived one, so re-ingesting it, or an
 * identical duplicate row, yields the same id.
 */
export class CanonicalImporter implements Importer {
  readonly name: string;
  private readonly type: avro.types.RecordType;
  private readonly hasEventId: boolean;
  private readonly hasSource: boolean;

  constructor(readonly target: TopicSpec, name?: string) {
    this.type = avroType(target.schema) as avro.types.RecordType;
    this.name = name ?? `file:${target.schema}`;
    this.hasEventId = this.type.fields.some((f) => f.name === 'event_id');
    this.hasSource = this.type.fields.some((f) => f.name === 'source');
  }

  begin(_file: FileContext): void {}

  push(row: SourceRow): ImportBatch {
    if ('error' in row) return { outputs: [], rejects: [{ line: row.line, code: 'PARSE_ERROR', reason: row.error, raw: row.raw }] };
    const fields = { ...row.fields };
    if (this.hasEventId && (fields.event_id === undefined || fields.event_id === null || fields.event_id === '')) {
      fields.event_id = contentId(this.target.schema, Object.entries(row.fields).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    if (this.hasSource && (fields.source === undefined || fields.source === '')) fields.source = this.name;
    let value: Record<string, unknown>;
    try {
      value = coerceRecord(this.type, fields);
    } catch (err) {
      if (!(err instanceof CoercionError)) throw err;
      return { outputs: [], rejects: [{ line: row.line, code: 'MAPPING_ERROR', reason: err.message, raw: row.raw }] };
    }
    const violation = schemaViolation(this.target.schema, value);
    if (violation) return { outputs: [], rejects: [{ line: row.line, code: 'SCHEMA_VIOLATION', reason: violation, raw: row.raw }] };
    return { outputs: [{ key: topicKey(this.target.schema, value), value, rows: 1, line: row.line }], rejects: [] };
  }

  finish(): ImportBatch {
    return EMPTY_BATCH;
  }

  pending(): number {
    return 0;
  }
}
