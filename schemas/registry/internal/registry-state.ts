import { parseAvro } from '../avro-schema.ts';
import type { LogKey, LogValue, SchemaReference, SchemaValue } from './log-records.ts';

/**
 * What identifies a schema's content: its type, canonical text and references. A stored
 * Avro schema without references is put in this registry's canonical form first, so a
 * schema that a Confluent registry wrote (in Java's canonical form) keeps its id here.
 */
export function contentKey(v: Pick<SchemaValue, 'schemaType' | 'schema' | 'references'>): string {
  let schema = v.schema;
  if ((v.schemaType ?? 'AVRO') === 'AVRO' && (v.references ?? []).length === 0) {
    try {
      schema = parseAvro(schema).canonical;
    } catch {
      /* keep the text: it is compared as is */
    }
  }
  const refs = (v.references ?? []).map((r) => [r.name, r.subject, r.version]);
  return JSON.stringify([v.schemaType ?? 'AVRO', schema, refs]);
}

/**
 * The registry's state, rebuilt by applying the `_schemas` records in log order.
 *
 * `apply` is deterministic, so every instance that reads the same log holds the same
 * state. Writers do not coordinate; instead a SCHEMA record is applied only if it is
 * consistent with what came before it in the log, and is otherwise ignored (rejected)
 * by every reader alike:
 * - its id belongs to a different schema (two writers allocated the same id), or
 * - its schema already has a different id (ids are global per content), or
 * - its subject/version slot holds a schema with a different id (two writers raced for
 *   the same next version).
 * A writer learns the fate of its record when its own consumer applies it, and retries a
 * rejected one against the new state (see registry-service.ts).
 */
export class RegistryState {
  /** subject -> version -> value */
  readonly subjects = new Map<string, Map<number, SchemaValue>>();
  /** id -> the keys ("subject\0version") that hold it */
  private readonly idHolders = new Map<number, Set<string>>();
  private readonly idContent = new Map<number, string>();
  private readonly contentId = new Map<string, number>();
  /** subject (null = global) -> compatibility level */
  readonly configs = new Map<string | null, string>();
  maxId = 0;

  /** Forgets everything, before the log is read again from its start. */
  clear(): void {
    this.subjects.clear();
    this.idHolders.clear();
    this.idContent.clear();
    this.contentId.clear();
    this.configs.clear();
    this.maxId = 0;
  }

  /** Applies one record; false when a SCHEMA record is rejected (see the class comment). */
  apply(key: LogKey, value: LogValue): boolean {
    switch (key.keytype) {
      case 'SCHEMA':
        return this.applySchema(key.subject, key.version, value as SchemaValue | null);
      case 'CONFIG': {
        const level = (value as { compatibilityLevel?: string } | null)?.compatibilityLevel;
        if (level) this.configs.set(key.subject, level.toUpperCase());
        else this.configs.delete(key.subject);
        return true;
      }
      case 'DELETE_SUBJECT': {
        const upTo = (value as { version?: number } | null)?.version ?? 0;
        for (const [version, v] of this.subjects.get(key.subject) ?? []) {
          if (version <= upTo) v.deleted = true;
        }
        return true;
      }
      default:
        return true;
    }
  }

  private applySchema(subject: string, version: number, value: SchemaValue | null): boolean {
    const versions = this.subjects.get(subject);
    const existing = versions?.get(version);
    if (value === null) {
      if (existing) this.remove(subject, version, existing);
      return true;
    }
    const content = contentKey(value);
    const ownerContent = this.idContent.get(value.id);
    if (ownerContent !== undefined && ownerContent !== content) return false;
    const knownId = this.contentId.get(content);
    if (knownId !== undefined && knownId !== value.id) return false;
    if (existing && existing.id !== value.id) return false;
    const stored: SchemaValue = { ...value, subject, version, deleted: Boolean(value.deleted) };
    if (!versions) this.subjects.set(subject, new Map([[version, stored]]));
    else versions.set(version, stored);
    const holders = this.idHolders.get(value.id) ?? new Set<string>();
    holders.add(`${subject}\0${version}`);
    this.idHolders.set(value.id, holders);
    this.idContent.set(value.id, content);
    this.contentId.set(content, value.id);
    if (value.id > this.maxId) this.maxId = value.id;
    return true;
  }

  private remove(subject: string, version: number, existing: SchemaValue): void {
    const versions = this.subjects.get(subject)!;
    versions.delete(version);
    if (versions.size === 0) this.subjects.delete(subject);
    const holders = this.idHolders.get(existing.id);
    holders?.delete(`${subject}\0${version}`);
    if (holders && holders.size === 0) {
      this.idHolders.delete(existing.id);
      this.contentId.delete(this.idContent.get(existing.id)!);
      this.idContent.delete(existing.id);
    }
  }

  /** The id already given to this content, if any. */
  idOf(v: Pick<SchemaValue, 'schemaType' | 'schema' | 'references'>): number | undefined {
    return this.contentId.get(contentKey(v));
  }

  /** Every value that holds `id`, in subject then version order. */
  holdersOf(id: number): SchemaValue[] {
    const out: SchemaValue[] = [];
    for (const h of this.idHolders.get(id) ?? []) {
      const [subject, version] = h.split('\0') as [string, string];
      const v = this.subjects.get(subject)?.get(Number(version));
      if (v) out.push(v);
    }
    return out.sort((a, b) => (a.subject === b.subject ? a.version - b.version : a.subject < b.subject ? -1 : 1));
  }

  /** Versions of a subject in order, with or without the soft-deleted ones. */
  versionsOf(subject: string, includeDeleted = false): SchemaValue[] {
    const all = [...(this.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
    return includeDeleted ? all : all.filter((v) => !v.deleted);
  }

  /** Values (live ones) whose references point at subject/version. */
  referencedBy(subject: string, version: number): SchemaValue[] {
    const out: SchemaValue[] = [];
    for (const versions of this.subjects.values()) {
      for (const v of versions.values()) {
        if (!v.deleted && (v.references ?? []).some((r: SchemaReference) => r.subject === subject && r.version === version)) out.push(v);
      }
    }
    return out;
  }
}
