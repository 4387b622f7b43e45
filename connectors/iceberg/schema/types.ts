/**
 * Iceberg schemas in their JSON form (spec, "Schemas and Data Types"), so that a
 * schema is written to table metadata exactly as it is held in memory.
 *
 * Primitive types are strings: boolean, int, long, float, double, date, time,
 * timestamp (micros, no zone), timestamptz (micros, UTC), string, uuid, binary,
 * `decimal(P, S)` and `fixed[L]`.
 */
export type PrimitiveType = string;

export interface NestedField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
}

export interface StructType {
  type: 'struct';
  fields: NestedField[];
}

export interface ListType {
  type: 'list';
  'element-id': number;
  element: IcebergType;
  'element-required': boolean;
}

export interface MapType {
  type: 'map';
  'key-id': number;
  key: IcebergType;
  'value-id': number;
  value: IcebergType;
  'value-required': boolean;
}

export type IcebergType = PrimitiveType | StructType | ListType | MapType;

export interface Schema {
  type: 'struct';
  'schema-id': number;
  'identifier-field-ids'?: number[];
  fields: NestedField[];
}

export const isStruct = (t: IcebergType): t is StructType => typeof t === 'object' && t.type === 'struct';
export const isList = (t: IcebergType): t is ListType => typeof t === 'object' && t.type === 'list';
export const isMap = (t: IcebergType): t is MapType => typeof t === 'object' && t.type === 'map';

/** `decimal(P, S)` → precision and scale, or undefined for other types. */
export function decimalOf(t: IcebergType): { precision: number; scale: number } | undefined {
  if (typeof t !== 'string') return undefined;
  const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

/** The highest field id used anywhere in the fields (nested ids included). */
export function maxFieldId(fields: NestedField[]): number {
  let max = 0;
  const visit = (t: IcebergType): void => {
    if (isStruct(t)) {
      for (const f of t.fields) {
        max = Math.max(max, f.id);
        visit(f.type);
      }
    } else if (isList(t)) {
      max = Math.max(max, t['element-id']);
      visit(t.element);
    } else if (isMap(t)) {
      max = Math.max(max, t['key-id'], t['value-id']);
      visit(t.key);
      visit(t.value);
    }
  };
  visit({ type: 'struct', fields });
  return max;
}

/** Finds a top-level or nested field by its dotted name. */
export function findField(schema: Schema, path: string): NestedField | undefined {
  let fields = schema.fields;
  let found: NestedField | undefined;
  for (const part of path.split('.')) {
    found = fields.find((f) => f.name === part);
    if (!found) return undefined;
    fields = isStruct(found.type) ? found.type.fields : [];
  }
  return found;
}
