import type { parquetWrite } from 'hyparquet-writer';
import { IcebergError } from '../errors.ts';
import type { IcebergType, NestedField } from '../schema/types.ts';
import { decimalOf, isList, isMap, isStruct } from '../schema/types.ts';

/** hyparquet-writer's own SchemaElement (it bundles its own hyparquet version). */
export type SchemaElement = NonNullable<Parameters<typeof parquetWrite>[0]['schema']>[number];

/**
 * The Parquet schema of an Iceberg schema (spec, "Parquet" appendix), as the flat
 * depth-first list of SchemaElements that the Parquet footer stores. Every element
 * carries its Iceberg id as `field_id`; lists and maps use the 3-level layout
 * (`list.element`, `key_value.key/value`); timestamps are INT64 TIMESTAMP(MICROS)
 * with isAdjustedToUTC true for timestamptz and false for timestamp; decimals take the
 * smallest physical type that holds their precision.
 */
export function parquetSchema(fields: NestedField[]): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'table', num_children: fields.length }];
  for (const f of fields) element(out, f.name, f.id, f.required, f.type);
  return out;
}

function element(out: SchemaElement[], name: string, id: number, required: boolean, type: IcebergType): void {
  const repetition_type = required ? 'REQUIRED' : 'OPTIONAL';
  if (isStruct(type)) {
    out.push({ name, field_id: id, repetition_type, num_children: type.fields.length });
    for (const f of type.fields) element(out, f.name, f.id, f.required, f.type);
    return;
  }
  if (isList(type)) {
    out.push({ name, field_id: id, repetition_type, num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } });
    out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
    element(out, 'element', type['element-id'], type['element-required'], type.element);
    return;
  }
  if (isMap(type)) {
    out.push({ name, field_id: id, repetition_type, num_children: 1, converted_type: 'MAP', logical_type: { type: 'MAP' } });
    out.push({ name: 'key_value', repetition_type: 'REPEATED', num_children: 2 });
    element(out, 'key', type['key-id'], true, type.key);
    element(out, 'value', type['value-id'], type['value-required'], type.value);
    return;
  }
  out.push({ name, field_id: id, repetition_type, ...primitive(type) });
}

function primitive(type: string): Partial<SchemaElement> {
  const dec = decimalOf(type);
  if (dec) {
    const { precision, scale } = dec;
    const logical_type = { type: 'DECIMAL' as const, precision, scale };
    if (precision <= 9) return { type: 'INT32', converted_type: 'DECIMAL', precision, scale, logical_type };
    if (precision <= 18) return { type: 'INT64', converted_type: 'DECIMAL', precision, scale, logical_type };
    return { type: 'FIXED_LEN_BYTE_ARRAY', type_length: decimalBytesFor(precision), converted_type: 'DECIMAL', precision, scale, logical_type };
  }
  const fixed = /^fixed\[(\d+)\]$/.exec(type);
  if (fixed) return { type: 'FIXED_LEN_BYTE_ARRAY', type_length: Number(fixed[1]) };
  switch (type) {
    case 'boolean': return { type: 'BOOLEAN' };
    case 'int': return { type: 'INT32' };
    case 'long': return { type: 'INT64' };
    case 'float': return { type: 'FLOAT' };
    case 'double': return { type: 'DOUBLE' };
    case 'date': return { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'time': return { type: 'INT64', logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MICROS' } };
    case 'timestamp': return { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } };
    case 'timestamptz': return { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } };
    case 'string': return { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'uuid': return { type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, logical_type: { type: 'UUID' } };
    case 'binary': return { type: 'BYTE_ARRAY' };
    default: throw new IcebergError('BAD_SCHEMA', `no Parquet mapping for Iceberg type ${type}`);
  }
}

/** Bytes needed for a decimal of this precision (spec: minimum bytes for 10^P - 1). */
export function decimalBytesFor(precision: number): number {
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) - 1n < 10n ** BigInt(precision) - 1n) bytes++;
  return bytes;
}
