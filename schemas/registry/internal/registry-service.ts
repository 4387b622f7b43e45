import { compatibilityErrors, parseLevel, type CompatibilityLevel } from '../compatibility.ts';
import { Errors, RegistryError } from '../errors.ts';
import type { LogKey, LogValue, SchemaValue } from './log-records.ts';
import { RegistryQueries, type VersionSpec } from './registry-queries.ts';
import type { RegistryState } from './registry-state.ts';
import { SchemaParser, type SchemaRequest } from './schema-resolver.ts';

const MAX_ATTEMPTS = 8;

/** The log the service writes through (KafkaSchemaLog; a memory log in unit tests). */
export interface SchemaLog {
  /** Resolves once every record written before the call has been applied to the state. */
  sync(): Promise<void>;
  /** Writes a record; resolves, once it is applied, with whether the state accepted it. */
  append(key: LogKey, value: LogValue): Promise<boolean>;
}

/**
 * The registry's operations. Reads first catch up with the end of the topic (one offset
 * request), so a client sees every write that another instance completed before. Writes
 * run one at a time per instance, each on a state synced to the end of the topic, and go
 * through the log (see KafkaSchemaLog).
 *
 * Races between instances: a registration allocates `id = max id + 1` (or reuses the
 * id of identical content) and `version = last version + 1`. If another instance wrote
 * first, every reader rejects the record (RegistryState), and this writer syncs and
 * retries with fresh numbers. If the rejected record shares its key with the accepted
 * one, the writer first re-publishes the accepted value under that key, so that the
 * newest record of every key is an accepted one and log compaction keeps the state.
 * (A refused record whose key no one else holds is normally superseded by the retry,
 * which targets the same subject and version; if the retry fails instead, that record
 * stays refused on replay as long as the record that beat it is in the log.)
 */
export class RegistryService {
  readonly queries: RegistryQueries;
  private readonly parser: SchemaParser;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly state: RegistryState,
    private readonly log: SchemaLog,
  ) {
    this.queries = new RegistryQueries(state);
    this.parser = new SchemaParser(state);
  }

  /** Runs a read on a state caught up with the topic: it sees every completed write of any instance. */
  async read<T>(fn: (q: RegistryQueries) => T): Promise<T> {
    await this.log.sync();
    return fn(this.queries);
  }

  /**
   * For answers that never change once given (the schema of an id): answers from the
   * state at once, and catches up with the topic only before answering 404.
   */
  async readStable<T>(fn: (q: RegistryQueries) => T): Promise<T> {
    try {
      return fn(this.queries);
    } catch (err) {
      if (!(err instanceof RegistryError) || err.status !== 404) throw err;
      return this.read(fn);
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.log.sync();
      return fn();
    });
    this.queue = run.catch(() => {});
    return run;
  }

  register(subject: string, req: SchemaRequest): Promise<{ id: number; version: number }> {
    checkSubject(subject);
    return this.exclusive(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (attempt > 0) await this.log.sync();
        const parsed = this.parser.parse(req);
        const content = { schemaType: normalizeType(req.schemaType), references: nonEmpty(req.references), schema: parsed.canonical };
        const all = this.state.versionsOf(subject, true);
        const knownId = this.state.idOf(content);
        const same = knownId === undefined ? undefined : all.find((v) => !v.deleted && v.id === knownId);
        if (same) return { id: same.id, version: same.version };
        const live = all.filter((v) => !v.deleted);
        const level = this.queries.effectiveLevel(subject) as CompatibilityLevel;
        const previous = live.map((v) => ({ version: v.version, type: this.parser.typeOf(v) }));
        const problems = compatibilityErrors(parsed.type, previous, level);
        if (problems.length > 0) {
          throw Errors.incompatible(
            `Schema being registered is incompatible with an earlier schema for subject "${subject}" (compatibility ${level}), details: ${problems.join('; ')}`,
          );
        }
        const id = knownId ?? this.state.maxId + 1;
        const version = (all.at(-1)?.version ?? 0) + 1;
        const value: SchemaValue = { subject, version, id, ...content, deleted: false };
        const key = { keytype: 'SCHEMA' as const, subject, version };
        if (await this.log.append(key, value)) return { id, version };
        console.warn(`[registry] another writer took id ${id} or ${subject} version ${version} first; retrying`);
        // Our record was refused: whatever the key holds now is another writer's, and must
        // stay the newest record of that key.
        const winner = this.state.subjects.get(subject)?.get(version);
        if (winner) await this.log.append(key, winner);
      }
      throw Errors.store(`Registering under "${subject}" lost ${MAX_ATTEMPTS} races with other writers; retry`);
    });
  }

  /** POST /subjects/{s}: the version of `subject` that holds this schema. */
  lookup(subject: string, req: SchemaRequest, deleted: boolean): Promise<SchemaValue> {
    return this.read(() => {
      const versions = this.state.versionsOf(subject, deleted);
      if (versions.length === 0) throw Errors.subjectNotFound(subject);
      const parsed = this.parser.parse(req);
      const id = this.state.idOf({ schemaType: normalizeType(req.schemaType), references: nonEmpty(req.references), schema: parsed.canonical });
      const found = id === undefined ? undefined : versions.filter((v) => v.id === id).at(-1);
      if (!found) throw Errors.schemaNotFound();
      return found;
    });
  }

  /** Whether `req` may follow `spec` (or, without it, the subject's versions under its level). */
  async testCompatibility(subject: string, spec: VersionSpec | undefined, req: SchemaRequest): Promise<string[]> {
    await this.log.sync();
    const parsed = this.parser.parse(req);
    const live = this.state.versionsOf(subject);
    const level = this.queries.effectiveLevel(subject) as CompatibilityLevel;
    if (live.length === 0) {
      if (spec === undefined || spec === 'latest') return [];
      throw Errors.subjectNotFound(subject);
    }
    const against = spec === undefined ? live : [this.queries.version(subject, spec)];
    const effective = spec === undefined ? level : (level.replace('_TRANSITIVE', '') as CompatibilityLevel);
    return compatibilityErrors(parsed.type, against.map((v) => ({ version: v.version, type: this.parser.typeOf(v) })), effective);
  }

  setConfig(subject: string | null, raw: unknown): Promise<string> {
    const level = parseLevel(raw);
    if (subject !== null) checkSubject(subject);
    return this.exclusive(async () => {
      await this.log.append({ keytype: 'CONFIG', subject }, { compatibilityLevel: level });
      return level;
    });
  }

  deleteConfig(subject: string | null): Promise<string> {
    return this.exclusive(async () => {
      const old = this.queries.effectiveLevel(subject);
      if (subject !== null && this.state.versionsOf(subject, true).length === 0 && !this.state.configs.has(subject)) {
        throw Errors.subjectNotFound(subject);
      }
      await this.log.append({ keytype: 'CONFIG', subject }, null);
      return old;
    });
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.exclusive(async () => {
      const all = this.state.versionsOf(subject, true);
      if (all.length === 0) throw Errors.subjectNotFound(subject);
      const live = all.filter((v) => !v.deleted);
      if (permanent) {
        if (live.length > 0) throw Errors.subjectNotSoftDeleted(subject);
        for (const v of all) await this.log.append({ keytype: 'SCHEMA', subject, version: v.version }, null);
        return all.map((v) => v.version);
      }
      if (live.length === 0) throw Errors.subjectSoftDeleted(subject);
      for (const v of live) this.checkUnreferenced(v);
      await this.log.append({ keytype: 'DELETE_SUBJECT', subject }, { subject, version: live.at(-1)!.version });
      if (this.state.configs.has(subject)) await this.log.append({ keytype: 'CONFIG', subject }, null);
      return live.map((v) => v.version);
    });
  }

  deleteVersion(subject: string, spec: VersionSpec, permanent: boolean): Promise<number> {
    return this.exclusive(async () => {
      const all = this.state.versionsOf(subject, true);
      if (all.length === 0) throw Errors.subjectNotFound(subject);
      const pool = permanent ? all : all.filter((v) => !v.deleted);
      const target = spec === 'latest' ? pool.at(-1) : all.find((v) => v.version === spec);
      if (!target) throw Errors.versionNotFound(spec);
      const key = { keytype: 'SCHEMA' as const, subject, version: target.version };
      if (permanent) {
        if (!target.deleted) throw Errors.versionNotSoftDeleted(subject, target.version);
        await this.log.append(key, null);
      } else {
        if (target.deleted) throw Errors.versionSoftDeleted(subject, target.version);
        this.checkUnreferenced(target);
        await this.log.append(key, { ...target, deleted: true });
      }
      return target.version;
    });
  }

  private checkUnreferenced(v: SchemaValue): void {
    const users = this.state.referencedBy(v.subject, v.version);
    if (users.length > 0) {
      throw Errors.referenceExists(`One or more references exist to the schema {subject=${v.subject},version=${v.version}}: ids ${users.map((u) => u.id).join(', ')}`);
    }
  }
}

function normalizeType(t: string | undefined): string | undefined {
  return t === undefined || t === 'AVRO' ? undefined : t;
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function checkSubject(subject: string): void {
  if (subject.trim() === '' || /[\u0000-\u001f]/.test(subject)) throw Errors.invalidSubject(subject);
}
