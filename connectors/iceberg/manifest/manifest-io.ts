import type { PartitionSpec } from '../partition/spec.ts';
import { resultType } from '../partition/spec.ts';
import type { Schema } from '../schema/types.ts';
import { isStruct } from '../schema/types.ts';
import { readContainer, writeContainer } from '../internal/avro-container.ts';
import { compareValues, toSingleValue } from '../internal/single-value.ts';
import { stringifyJson } from '../internal/lossless-json.ts';
import { manifestEntrySchema, MANIFEST_LIST_SCHEMA } from './avro-schemas.ts';
import type { DataFile, FieldSummary, Long, ManifestEntry, ManifestFile } from './model.ts';

/** The partition fields of a spec with their result types, in spec order. */
export function partitionFieldsOf(schema: Schema, spec: PartitionSpec) {
  return spec.fields.map((p) => {
    const source = findById(schema, p['source-id']);
    return { name: p.name, id: p['field-id'], transform: p.transform, type: resultType(p.transform, source?.type ?? 'int') };
  });
}

function findById(schema: Schema, id: number) {
  const stack = [...schema.fields];
  while (stack.length) {
    const f = stack.pop()!;
    if (f.id === id) return f;
    if (isStruct(f.type)) stack.push(...f.type.fields);
  }
  return undefined;
}

const toPairs = <V>(m?: Map<number, V>) => (m ? [...m].map(([key, value]) => ({ key, value })) : null);
const fromPairs = <V>(a: { key: number; value: V }[] | null) => (a ? new Map(a.map((p) => [p.key, p.value])) : undefined);

/** Writes a manifest (Avro) of entries that all share one partition spec and content. */
export function encodeManifest(schema: Schema, spec: PartitionSpec, content: 0 | 1, entries: ManifestEntry[]): Buffer {
  const fields = partitionFieldsOf(schema, spec);
  const records = entries.map((e) => ({
    status: e.status,
    snapshot_id: e.snapshotId,
    sequence_number: e.sequenceNumber,
    file_sequence_number: e.fileSequenceNumber,
    data_file: {
      content: e.dataFile.content,
      file_path: e.dataFile.filePath,
      file_format: e.dataFile.fileFormat,
      partition: Object.fromEntries(fields.map((f) => [f.name, normalize(e.dataFile.partition[f.name], f.type as string)])),
      record_count: e.dataFile.recordCount,
      file_size_in_bytes: e.dataFile.fileSizeInBytes,
      column_sizes: null,
      value_counts: toPairs(e.dataFile.valueCounts),
      null_value_counts: toPairs(e.dataFile.nullValueCounts),
      nan_value_counts: null,
      lower_bounds: toPairs(e.dataFile.lowerBounds),
      upper_bounds: toPairs(e.dataFile.upperBounds),
      key_metadata: null,
      split_offsets: null,
      equality_ids: null,
      sort_order_id: content === 0 ? 0 : null,
      referenced_data_file: e.dataFile.referencedDataFile ?? null,
    },
  }));
  return writeContainer(manifestEntrySchema(fields), records, {
    schema: stringifyJson(schema),
    'schema-id': String(schema['schema-id']),
    'partition-spec': stringifyJson(spec.fields),
    'partition-spec-id': String(spec['spec-id']),
    'format-version': '2',
    content: content === 0 ? 'data' : 'deletes',
  });
}

/** Partition values go into Avro as int/long/string/bytes. */
function normalize(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'long' || type === 'timestamp' || type === 'timestamptz' || type === 'time') return typeof v === 'bigint' ? v : BigInt(v as number);
  return v;
}

export function decodeManifest(buf: Buffer, specId: number): ManifestEntry[] {
  return readContainer(buf).records.map((raw) => {
    const r = raw as Record<string, unknown> & { data_file: Record<string, unknown> };
    const d = r.data_file;
    const file: DataFile = {
      content: d.content as number,
      filePath: d.file_path as string,
      fileFormat: 'PARQUET',
      specId,
      partition: { ...(d.partition as Record<string, unknown>) },
      recordCount: Number(d.record_count),
      fileSizeInBytes: Number(d.file_size_in_bytes),
      valueCounts: fromPairs(d.value_counts as never),
      nullValueCounts: fromPairs(d.null_value_counts as never),
      lowerBounds: fromPairs(d.lower_bounds as never),
      upperBounds: fromPairs(d.upper_bounds as never),
      ...(d.referenced_data_file ? { referencedDataFile: d.referenced_data_file as string } : {}),
    };
    return {
      status: r.status as number,
      snapshotId: (r.snapshot_id as Long | null) ?? null,
      sequenceNumber: r.sequence_number == null ? null : Number(r.sequence_number),
      fileSequenceNumber: r.file_sequence_number == null ? null : Number(r.file_sequence_number),
      dataFile: file,
    };
  });
}

/** Partition summaries of a manifest's live files, for manifest-level pruning. */
export function summarizePartitions(schema: Schema, spec: PartitionSpec, files: DataFile[]): FieldSummary[] {
  return partitionFieldsOf(schema, spec).map((f) => {
    let lo: unknown;
    let hi: unknown;
    let containsNull = false;
    for (const file of files) {
      const v = file.partition[f.name];
      if (v === null || v === undefined) {
        containsNull = true;
        continue;
      }
      if (lo === undefined || compareValues(v, lo) < 0) lo = v;
      if (hi === undefined || compareValues(v, hi) > 0) hi = v;
    }
    return { containsNull, containsNan: false, lowerBound: toSingleValue(f.type, lo) ?? null, upperBound: toSingleValue(f.type, hi) ?? null };
  });
}

export function encodeManifestList(manifests: ManifestFile[], meta: { snapshotId: Long; parentId: Long | null; sequenceNumber: number }): Buffer {
  const records = manifests.map((m) => ({
    manifest_path: m.path,
    manifest_length: m.length,
    partition_spec_id: m.specId,
    content: m.content,
    sequence_number: m.sequenceNumber,
    min_sequence_number: m.minSequenceNumber,
    added_snapshot_id: m.addedSnapshotId,
    added_files_count: m.addedFilesCount,
    existing_files_count: m.existingFilesCount,
    deleted_files_count: m.deletedFilesCount,
    added_rows_count: m.addedRowsCount,
    existing_rows_count: m.existingRowsCount,
    deleted_rows_count: m.deletedRowsCount,
    partitions: m.partitions ? m.partitions.map((p) => ({ contains_null: p.containsNull, contains_nan: p.containsNan ?? null, lower_bound: p.lowerBound ?? null, upper_bound: p.upperBound ?? null })) : null,
    key_metadata: null,
  }));
  return writeContainer(MANIFEST_LIST_SCHEMA, records, {
    'snapshot-id': String(meta.snapshotId),
    'parent-snapshot-id': meta.parentId === null ? 'null' : String(meta.parentId),
    'sequence-number': String(meta.sequenceNumber),
    'format-version': '2',
  });
}

export function decodeManifestList(buf: Buffer): ManifestFile[] {
  return readContainer(buf).records.map((raw) => {
    const r = raw as Record<string, unknown>;
    const parts = r.partitions as { contains_null: boolean; contains_nan: boolean | null; lower_bound: Buffer | null; upper_bound: Buffer | null }[] | null;
    return {
      path: r.manifest_path as string,
      length: Number(r.manifest_length),
      specId: r.partition_spec_id as number,
      content: r.content as 0 | 1,
      sequenceNumber: Number(r.sequence_number),
      minSequenceNumber: Number(r.min_sequence_number),
      addedSnapshotId: r.added_snapshot_id as Long,
      addedFilesCount: Number(r.added_files_count ?? r.added_data_files_count ?? 0),
      existingFilesCount: Number(r.existing_files_count ?? r.existing_data_files_count ?? 0),
      deletedFilesCount: Number(r.deleted_files_count ?? r.deleted_data_files_count ?? 0),
      addedRowsCount: Number(r.added_rows_count),
      existingRowsCount: Number(r.existing_rows_count),
      deletedRowsCount: Number(r.deleted_rows_count),
      partitions: parts ? parts.map((p) => ({ containsNull: p.contains_null, containsNan: p.contains_nan, lowerBound: p.lower_bound, upperBound: p.upper_bound })) : null,
    };
  });
}
