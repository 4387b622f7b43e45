import type { IcebergType, NestedField } from './types.ts';
import { isList, isMap, isStruct } from './types.ts';

interface MappedField {
  'field-id': number;
  names: string[];
  fields?: MappedField[];
}

/**
 * The `schema.name-mapping.default` table property (spec, "Column Projection"): for
 * each field id the names it has in data files. Readers use it for files without
 * Parquet field ids; ours carry ids, but engines look for the mapping as well.
 */
export function nameMapping(fields: NestedField[]): string {
  return JSON.stringify(fields.map((f) => mapped(f.id, f.name, f.type)));
}

function mapped(id: number, name: string, type: IcebergType): MappedField {
  const nested = children(type);
  return { 'field-id': id, names: [name], ...(nested.length ? { fields: nested } : {}) };
}

function children(type: IcebergType): MappedField[] {
  if (isStruct(type)) return type.fields.map((f) => mapped(f.id, f.name, f.type));
  if (isList(type)) return [mapped(type['element-id'], 'element', type.element)];
  if (isMap(type)) return [mapped(type['key-id'], 'key', type.key), mapped(type['value-id'], 'value', type.value)];
  return [];
}
