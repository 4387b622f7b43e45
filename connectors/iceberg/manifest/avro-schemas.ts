import type { IcebergType } from '../schema/types.ts';
import { decimalOf } from '../schema/types.ts';
import { decimalBytesFor } from '../internal/parquet-schema.ts';

/**
 * The Avro schemas of v2 manifests and manifest lists (spec, "Manifests" and
 * "Manifest Lists"), with the spec's field ids. Optional fields are ["null", T] with
 * default null; maps with non-string keys are arrays of key/value records with
 * logicalType "map", as the spec's Avro appendix prescribes.
 */
const opt = (type: unknown) => ['null', type];
const field = (name: string, id: number, type: unknown, optional = false) =>
  optional ? { name, type: opt(type), default: null, 'field-id': id } : { name, type, 'field-id': id };
const intMap = (name: string, id: number, keyId: number, valueId: number, value: string) =>
  field(name, id, {
    type: 'array',
    logicalType: 'map',
    items: {
      type: 'record',
      name: `k${keyId}_v${valueId}`,
      fields: [
        { name: 'key', type: 'int', 'field-id': keyId },
        { name: 'value', type: value, 'field-id': valueId },
      ],
    },
  }, true);

/** Avro type of a partition value (spec, Appendix A). */
export function avroOfPartitionType(t: IcebergType): unknown {
  const dec = decimalOf(t);
  if (dec) return { type: 'fixed', name: `decimal_${dec.precision}_${dec.scale}`, size: decimalBytesFor(dec.precision), logicalType: 'decimal', precision: dec.precision, scale: dec.scale };
  switch (t) {
    case 'date': return { type: 'int', logicalType: 'date' };
    case 'timestamp': return { type: 'long', logicalType: 'timestamp-micros', 'adjust-to-utc': false };
    case 'timestamptz': return { type: 'long', logicalType: 'timestamp-micros', 'adjust-to-utc': true };
    case 'uuid': return { type: 'fixed', name: 'uuid_fixed', size: 16, logicalType: 'uuid' };
    case 'binary': return 'bytes';
    default: return t;
  }
}

export function manifestEntrySchema(partitionFields: { name: string; id: number; type: IcebergType }[]): object {
  return {
    type: 'record',
    name: 'manifest_entry',
    fields: [
      field('status', 0, 'int'),
      field('snapshot_id', 1, 'long', true),
      field('sequence_number', 3, 'long', true),
      field('file_sequence_number', 4, 'long', true),
      field('data_file', 2, {
        type: 'record',
        name: 'r2',
        fields: [
          field('content', 134, 'int'),
          field('file_path', 100, 'string'),
          field('file_format', 101, 'string'),
          field('partition', 102, {
            type: 'record',
            name: 'r102',
            fields: partitionFields.map((p) => field(p.name, p.id, avroOfPartitionType(p.type), true)),
          }),
          field('record_count', 103, 'long'),
          field('file_size_in_bytes', 104, 'long'),
          intMap('column_sizes', 108, 117, 118, 'long'),
          intMap('value_counts', 109, 119, 120, 'long'),
          intMap('null_value_counts', 110, 121, 122, 'long'),
          intMap('nan_value_counts', 137, 138, 139, 'long'),
          intMap('lower_bounds', 125, 126, 127, 'bytes'),
          intMap('upper_bounds', 128, 129, 130, 'bytes'),
          field('key_metadata', 131, 'bytes', true),
          field('split_offsets', 132, { type: 'array', items: 'long', 'element-id': 133 }, true),
          field('equality_ids', 135, { type: 'array', items: 'int', 'element-id': 136 }, true),
          field('sort_order_id', 140, 'int', true),
          field('referenced_data_file', 143, 'string', true),
        ],
      }),
    ],
  };
}

export const MANIFEST_LIST_SCHEMA = {
  type: 'record',
  name: 'manifest_file',
  fields: [
    field('manifest_path', 500, 'string'),
    field('manifest_length', 501, 'long'),
    field('partition_spec_id', 502, 'int'),
    field('content', 517, 'int'),
    field('sequence_number', 515, 'long'),
    field('min_sequence_number', 516, 'long'),
    field('added_snapshot_id', 503, 'long'),
    field('added_files_count', 504, 'int'),
    field('existing_files_count', 505, 'int'),
    field('deleted_files_count', 506, 'int'),
    field('added_rows_count', 512, 'long'),
    field('existing_rows_count', 513, 'long'),
    field('deleted_rows_count', 514, 'long'),
    field('partitions', 507, {
      type: 'array',
      'element-id': 508,
      items: {
        type: 'record',
        name: 'r508',
        fields: [
          field('contains_null', 509, 'boolean'),
          field('contains_nan', 518, 'boolean', true),
          field('lower_bound', 510, 'bytes', true),
          field('upper_bound', 511, 'bytes', true),
        ],
      },
    }, true),
    field('key_metadata', 519, 'bytes', true),
  ],
};
