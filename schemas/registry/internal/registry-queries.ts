import { DEFAULT_LEVEL } from '../compatibility.ts';
import { Errors } from '../errors.ts';
import type { SchemaValue } from './log-records.ts';
import type { RegistryState } from './registry-state.ts';

/** A version as the API names it: a number from 1, or the latest one. */
export type VersionSpec = number | 'latest';

/** Parses a version path segment: 1..2^31-1, "latest" or -1; otherwise 42202. */
export function parseVersion(raw: string): VersionSpec {
  if (raw === 'latest' || raw === '-1') return 'latest';
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw Errors.invalidVersion(raw);
  return n;
}

/** Read-only questions to the state, failing with Confluent's 404 codes. */
export class RegistryQueries {
  constructor(readonly state: RegistryState) {}

  subjects(deleted: boolean, prefix = ''): string[] {
    return [...this.state.subjects.keys()].filter((s) => s.startsWith(prefix) && this.state.versionsOf(s, deleted).length > 0).sort();
  }

  /** GET /schemas: every version (or each subject's latest) of the subjects with `prefix`. */
  schemas(prefix: string, deleted: boolean, latestOnly: boolean): SchemaValue[] {
    return this.subjects(deleted, prefix).flatMap((s) => {
      const versions = this.state.versionsOf(s, deleted);
      return latestOnly ? versions.slice(-1) : versions;
    });
  }

  versions(subject: string, deleted: boolean): number[] {
    const list = this.state.versionsOf(subject, deleted);
    if (list.length === 0) throw Errors.subjectNotFound(subject);
    return list.map((v) => v.version);
  }

  version(subject: string, spec: VersionSpec, deleted = false): SchemaValue {
    const pool = this.state.versionsOf(subject, deleted);
    if (pool.length === 0) throw Errors.subjectNotFound(subject);
    const found = spec === 'latest' ? pool.at(-1) : pool.find((v) => v.version === spec);
    if (!found) throw Errors.versionNotFound(spec);
    return found;
  }

  /** The schema of an id; soft-deleted holders still resolve it. */
  byId(id: number): SchemaValue {
    const holders = this.state.holdersOf(id);
    if (holders.length === 0) throw Errors.schemaNotFound(id);
    return holders.find((h) => !h.deleted) ?? holders[0]!;
  }

  idVersions(id: number, deleted: boolean): { subject: string; version: number }[] {
    this.byId(id);
    return this.state
      .holdersOf(id)
      .filter((h) => deleted || !h.deleted)
      .map((h) => ({ subject: h.subject, version: h.version }));
  }

  idSubjects(id: number, deleted: boolean): string[] {
    return [...new Set(this.idVersions(id, deleted).map((v) => v.subject))];
  }

  referencedBy(subject: string, spec: VersionSpec): number[] {
    const target = this.version(subject, spec);
    return [...new Set(this.state.referencedBy(subject, target.version).map((v) => v.id))].sort((a, b) => a - b);
  }

  /** The level in force for a subject: its own, else the global one, else BACKWARD. */
  effectiveLevel(subject: string | null): string {
    return (subject !== null ? this.state.configs.get(subject) : undefined) ?? this.state.configs.get(null) ?? DEFAULT_LEVEL;
  }

  config(subject: string | null, defaultToGlobal: boolean): string {
    if (subject === null || defaultToGlobal) return this.effectiveLevel(subject);
    const level = this.state.configs.get(subject);
    if (!level) throw Errors.subjectConfigNotFound(subject);
    return level;
  }
}
