import { randomUUID } from 'node:crypto';
import type { Long } from '../manifest/model.ts';
import type { PartitionSpec } from '../partition/spec.ts';
import { FIRST_PARTITION_FIELD_ID } from '../partition/spec.ts';
import type { Schema } from '../schema/types.ts';
import { maxFieldId } from '../schema/types.ts';

/** A snapshot as table metadata stores it (spec, "Snapshots"). */
export interface Snapshot {
  'snapshot-id': Long;
  'parent-snapshot-id'?: Long;
  'sequence-number': number;
  'timestamp-ms': number;
  'manifest-list': string;
  /** `operation` (append, replace, overwrite, delete), the totals, and our own keys. */
  summary: Record<string, string> & { operation: string };
  'schema-id'?: number;
}

export interface SnapshotRef {
  'snapshot-id': Long;
  type: 'branch' | 'tag';
  'max-ref-age-ms'?: number;
  'max-snapshot-age-ms'?: number;
  'min-snapshots-to-keep'?: number;
}

export interface SortOrder {
  'order-id': number;
  fields: { transform: string; 'source-id': number; direction: 'asc' | 'desc'; 'null-order': 'nulls-first' | 'nulls-last' }[];
}

/**
 * Table metadata, format v2, in its JSON form (spec, "Table Metadata Fields"). Every
 * field a strict (Java) v2 reader requires is always present: format-version,
 * table-uuid, location, last-sequence-number, last-updated-ms, last-column-id,
 * schemas + current-schema-id, partition-specs + default-spec-id + last-partition-id,
 * sort-orders + default-sort-order-id. Unknown fields written by other engines are kept.
 */
export interface TableMetadata {
  'format-version': 2;
  'table-uuid': string;
  location: string;
  'last-sequence-number': number;
  'last-updated-ms': number;
  'last-column-id': number;
  'current-schema-id': number;
  schemas: Schema[];
  'default-spec-id': number;
  'partition-specs': PartitionSpec[];
  'last-partition-id': number;
  'default-sort-order-id': number;
  'sort-orders': SortOrder[];
  properties: Record<string, string>;
  'current-snapshot-id': Long | null;
  snapshots: Snapshot[];
  'snapshot-log': { 'timestamp-ms': number; 'snapshot-id': Long }[];
  'metadata-log': { 'timestamp-ms': number; 'metadata-file': string }[];
  refs: Record<string, SnapshotRef>;
  statistics?: unknown[];
  'partition-statistics'?: unknown[];
  [other: string]: unknown;
}

export const UNSORTED: SortOrder = { 'order-id': 0, fields: [] };

export function newTableMetadata(opts: {
  location: string;
  schema: Schema;
  spec: PartitionSpec;
  sortOrder?: SortOrder;
  properties?: Record<string, string>;
  nowMs: number;
  uuid?: string;
}): TableMetadata {
  const sortOrder = opts.sortOrder ?? UNSORTED;
  return {
    'format-version': 2,
    'table-uuid': opts.uuid ?? randomUUID(),
    location: opts.location.replace(/\/+$/, ''),
    'last-sequence-number': 0,
    'last-updated-ms': opts.nowMs,
    'last-column-id': maxFieldId(opts.schema.fields),
    'current-schema-id': opts.schema['schema-id'],
    schemas: [opts.schema],
    'default-spec-id': opts.spec['spec-id'],
    'partition-specs': [opts.spec],
    'last-partition-id': Math.max(FIRST_PARTITION_FIELD_ID - 1, ...opts.spec.fields.map((f) => f['field-id'])),
    'default-sort-order-id': sortOrder['order-id'],
    'sort-orders': [sortOrder],
    properties: opts.properties ?? {},
    'current-snapshot-id': null,
    snapshots: [],
    'snapshot-log': [],
    'metadata-log': [],
    refs: {},
  };
}

export const currentSchema = (m: TableMetadata): Schema => m.schemas.find((s) => s['schema-id'] === m['current-schema-id'])!;
export const defaultSpec = (m: TableMetadata): PartitionSpec => m['partition-specs'].find((s) => s['spec-id'] === m['default-spec-id'])!;
export const specById = (m: TableMetadata, id: number): PartitionSpec | undefined => m['partition-specs'].find((s) => s['spec-id'] === id);
export function currentSnapshot(m: TableMetadata): Snapshot | undefined {
  const id = m.refs.main?.['snapshot-id'] ?? m['current-snapshot-id'];
  return id === null || id === undefined ? undefined : m.snapshots.find((s) => BigInt(s['snapshot-id']) === BigInt(id));
}

/** The file name of metadata version `version`: `<location>/metadata/00001-<uuid>.metadata.json`. */
export function metadataFileName(location: string, version: number): string {
  return `${location}/metadata/${String(version).padStart(5, '0')}-${randomUUID()}.metadata.json`;
}

/** The version number in a metadata file name (0 when it has none). */
export function metadataVersion(path: string | null | undefined): number {
  const m = /\/(\d+)-[^/]*\.metadata\.json$/.exec(path ?? '');
  return m ? Number(m[1]) : 0;
}
