/**
 * The records of the `_schemas` topic, in Confluent's own JSON layout, so that a
 * Confluent Schema Registry and streamhouse's registry can read each other's topic.
 *
 * Keys (field order matters: the topic is compacted by key bytes, so a key must be
 * byte-identical to the one Confluent's Jackson writer produces):
 *   {"keytype":"SCHEMA","subject":S,"version":N,"magic":1}
 *   {"keytype":"CONFIG","subject":S,"magic":0}      (global config: {"keytype":"CONFIG","magic":0})
 *   {"keytype":"DELETE_SUBJECT","subject":S,"magic":0}
 *   {"keytype":"NOOP","magic":0}
 * Values:
 *   SCHEMA          {"subject","version","id","schemaType"?,"references"?,"schema","deleted"}; null = hard delete
 *   CONFIG          {"compatibilityLevel":"BACKWARD"}; null = subject config removed
 *   DELETE_SUBJECT  {"subject","version"}: every version up to `version` is soft-deleted
 * Other key types Confluent writes (MODE, CLEAR_SUBJECT, CONTEXT, ...) are read and ignored.
 */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface SchemaValue {
  subject: string;
  version: number;
  id: number;
  /** Absent means AVRO. */
  schemaType?: string;
  references?: SchemaReference[];
  schema: string;
  deleted: boolean;
}

export type LogKey =
  | { keytype: 'SCHEMA'; subject: string; version: number }
  | { keytype: 'CONFIG'; subject: string | null }
  | { keytype: 'DELETE_SUBJECT'; subject: string }
  | { keytype: 'NOOP' }
  | { keytype: 'OTHER'; raw: string };

export type LogValue = SchemaValue | { compatibilityLevel: string } | { subject: string; version: number } | null;

export function encodeKey(key: LogKey): string {
  switch (key.keytype) {
    case 'SCHEMA':
      return JSON.stringify({ keytype: 'SCHEMA', subject: key.subject, version: key.version, magic: 1 });
    case 'CONFIG':
      // Jackson's NON_EMPTY drops a null subject: the global config key has none.
      return JSON.stringify({ keytype: 'CONFIG', ...(key.subject === null ? {} : { subject: key.subject }), magic: 0 });
    case 'DELETE_SUBJECT':
      return JSON.stringify({ keytype: 'DELETE_SUBJECT', subject: key.subject, magic: 0 });
    case 'NOOP':
      return JSON.stringify({ keytype: 'NOOP', magic: 0 });
    case 'OTHER':
      return key.raw;
  }
}

/** A SCHEMA value in Confluent's field order; `schemaType` and `references` only when set. */
export function encodeSchemaValue(v: SchemaValue): string {
  return JSON.stringify({
    subject: v.subject,
    version: v.version,
    id: v.id,
    ...(v.schemaType && v.schemaType !== 'AVRO' ? { schemaType: v.schemaType } : {}),
    ...(v.references && v.references.length > 0 ? { references: v.references } : {}),
    schema: v.schema,
    deleted: v.deleted,
  });
}

export function encodeValue(key: LogKey, value: LogValue): string | null {
  if (value === null) return null;
  if (key.keytype === 'SCHEMA') return encodeSchemaValue(value as SchemaValue);
  return JSON.stringify(value);
}

/** Parses a record key; anything unknown or malformed becomes OTHER (and is ignored). */
export function parseKey(raw: string): LogKey {
  let k: Record<string, unknown>;
  try {
    k = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return { keytype: 'OTHER', raw };
  }
  const subject = typeof k.subject === 'string' ? k.subject : undefined;
  switch (k.keytype) {
    case 'SCHEMA':
      if (subject !== undefined && typeof k.version === 'number') return { keytype: 'SCHEMA', subject, version: k.version };
      break;
    case 'CONFIG':
      if (subject !== undefined || k.subject === null || k.subject === undefined) return { keytype: 'CONFIG', subject: subject ?? null };
      break;
    case 'DELETE_SUBJECT':
      if (subject !== undefined) return { keytype: 'DELETE_SUBJECT', subject };
      break;
    case 'NOOP':
      return { keytype: 'NOOP' };
  }
  return { keytype: 'OTHER', raw };
}

export function parseValue(raw: string | null): LogValue {
  if (raw === null) return null;
  return JSON.parse(raw) as LogValue;
}
