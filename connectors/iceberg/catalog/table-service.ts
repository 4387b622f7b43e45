import { IcebergError } from '../errors.ts';
import type { FileIO } from '../io/file-io.ts';
import { parseJson, stringifyJson } from '../internal/lossless-json.ts';
import { FIRST_PARTITION_FIELD_ID, type PartitionSpec } from '../partition/spec.ts';
import type { Schema } from '../schema/types.ts';
import { applyUpdates, checkRequirements, type Requirement, type Update } from '../metadata/updates.ts';
import { metadataFileName, metadataVersion, newTableMetadata, type SortOrder, type TableMetadata } from '../metadata/table-metadata.ts';
import { CommitFailedError } from '../errors.ts';
import { StoreConflict, type CatalogStore } from './store.ts';

export interface CreateTableRequest {
  name: string;
  location?: string;
  schema: Schema;
  'partition-spec'?: { 'spec-id'?: number; fields: { 'source-id': number; 'field-id'?: number; name: string; transform: string }[] };
  'write-order'?: SortOrder;
  'stage-create'?: boolean;
  properties?: Record<string, string>;
}

/** Old metadata files listed in metadata-log (write.metadata.previous-versions-max). */
const MAX_PREVIOUS_VERSIONS = 100;

/**
 * Table operations of the catalog. A commit reads the current metadata, checks the
 * requirements, applies the updates, writes the next metadata file (If-None-Match, so
 * two writers never overwrite one file) and then swaps the location in the store;
 * losing the swap is a CommitFailedError (409). Commits to one table inside this
 * process are serialized, so they only conflict with other processes.
 */
export class TableService {
  private readonly cache = new Map<string, TableMetadata>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: CatalogStore,
    private readonly io: FileIO,
    private readonly warehouse: string,
    private readonly now: () => number,
  ) {}

  async requireNamespace(ns: string[]): Promise<void> {
    if (!(await this.store.loadNamespace(ns))) throw new IcebergError('NO_SUCH_NAMESPACE', `Namespace does not exist: ${ns.join('.')}`);
  }

  async load(ns: string[], name: string): Promise<{ location: string; metadata: TableMetadata }> {
    const location = await this.store.loadTable(ns, name);
    if (!location) throw new IcebergError('NO_SUCH_TABLE', `Table does not exist: ${ns.join('.')}.${name}`);
    return { location, metadata: await this.readMetadata(location) };
  }

  async create(ns: string[], req: CreateTableRequest): Promise<{ location: string | undefined; metadata: TableMetadata }> {
    await this.requireNamespace(ns);
    if (await this.store.loadTable(ns, req.name)) throw new IcebergError('ALREADY_EXISTS', `Table already exists: ${ns.join('.')}.${req.name}`);
    const spec: PartitionSpec = {
      'spec-id': 0,
      fields: (req['partition-spec']?.fields ?? []).map((f, i) => ({ ...f, 'field-id': f['field-id'] ?? FIRST_PARTITION_FIELD_ID + i })),
    };
    const metadata = newTableMetadata({
      location: req.location ?? this.defaultLocation(ns, req.name),
      schema: { ...req.schema, 'schema-id': 0 },
      spec,
      ...(req['write-order'] ? { sortOrder: req['write-order'] } : {}),
      properties: req.properties ?? {},
      nowMs: this.now(),
    });
    if (req['stage-create']) return { location: undefined, metadata };
    const location = metadataFileName(metadata.location, 0);
    await this.io.write(location, Buffer.from(stringifyJson(metadata)), { ifNoneMatch: true });
    try {
      await this.store.createTable(ns, req.name, location);
    } catch (err) {
      if (err instanceof StoreConflict) throw new IcebergError('ALREADY_EXISTS', err.message);
      throw err;
    }
    this.cache.set(location, metadata);
    return { location, metadata };
  }

  async commit(ns: string[], name: string, requirements: Requirement[], updates: Update[]): Promise<{ location: string; metadata: TableMetadata }> {
    const key = `${ns.join('\u001f')}\u0000${name}`;
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.commitNow(ns, name, requirements, updates));
    this.locks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === run) this.locks.delete(key);
    }
  }

  private async commitNow(ns: string[], name: string, requirements: Requirement[], updates: Update[]) {
    const current = await this.store.loadTable(ns, name);
    const base = current ? await this.readMetadata(current) : undefined;
    if (!base && !requirements.some((r) => r.type === 'assert-create')) {
      throw new IcebergError('NO_SUCH_TABLE', `Table does not exist: ${ns.join('.')}.${name}`);
    }
    checkRequirements(base, requirements);
    const start = base ?? newTableMetadata({ location: this.defaultLocation(ns, name), schema: { type: 'struct', 'schema-id': 0, fields: [] }, spec: { 'spec-id': 0, fields: [] }, nowMs: this.now() });
    if (!base) {
      start.schemas = [];
      start['partition-specs'] = [];
      start['sort-orders'] = [];
    }
    const next = applyUpdates(start, updates, this.now());
    if (base && current) {
      next['metadata-log'] = [...base['metadata-log'], { 'timestamp-ms': base['last-updated-ms'], 'metadata-file': current }].slice(-MAX_PREVIOUS_VERSIONS);
    }
    const location = metadataFileName(next.location, metadataVersion(current) + (current ? 1 : 0));
    await this.io.write(location, Buffer.from(stringifyJson(next)), { ifNoneMatch: true });
    if (!current) {
      try {
        await this.store.createTable(ns, name, location);
      } catch (err) {
        if (err instanceof StoreConflict) throw new CommitFailedError(err.message);
        throw err;
      }
    } else if (!(await this.store.swapTable(ns, name, current, location))) {
      throw new CommitFailedError(`Commit failed: ${ns.join('.')}.${name} was changed by another commit`);
    }
    this.cache.set(location, next);
    return { location, metadata: next };
  }

  /** Drops the table; with purge, deletes every object under its location. */
  async drop(ns: string[], name: string, purge: boolean): Promise<void> {
    const location = await this.store.loadTable(ns, name);
    if (!location) throw new IcebergError('NO_SUCH_TABLE', `Table does not exist: ${ns.join('.')}.${name}`);
    const metadata = purge ? await this.readMetadata(location) : undefined;
    await this.store.dropTable(ns, name);
    if (metadata) {
      const files = await this.io.list(`${metadata.location}/`);
      await this.io.deleteMany(files.map((f) => f.uri));
    }
  }

  async register(ns: string[], name: string, metadataLocation: string): Promise<{ location: string; metadata: TableMetadata }> {
    await this.requireNamespace(ns);
    const metadata = await this.readMetadata(metadataLocation);
    try {
      await this.store.createTable(ns, name, metadataLocation);
    } catch (err) {
      if (err instanceof StoreConflict) throw new IcebergError('ALREADY_EXISTS', err.message);
      throw err;
    }
    return { location: metadataLocation, metadata };
  }

  private defaultLocation(ns: string[], name: string): string {
    return `${this.warehouse.replace(/\/+$/, '')}/${ns.join('/')}/${name}`;
  }

  private async readMetadata(location: string): Promise<TableMetadata> {
    const hit = this.cache.get(location);
    if (hit) return structuredClone(hit);
    const m = parseJson<TableMetadata>((await this.io.read(location)).toString('utf8'));
    if (this.cache.size > 500) this.cache.clear();
    this.cache.set(location, m);
    return structuredClone(m);
  }
}
