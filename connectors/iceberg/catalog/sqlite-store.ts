import Database from 'better-sqlite3';
import { StoreConflict, type CatalogStore } from './store.ts';
import { CATALOG_TABLES_DDL as SCHEMA, namespaceKey as join } from './catalog-tables.ts';


/**
 * The catalog state in SQLite (better-sqlite3, WAL). A namespace exists when it has a
 * row in iceberg_namespace_properties (created with `exists=true`) or holds a table,
 * as in PyIceberg's SqlCatalog. better-sqlite3 is synchronous, and each statement is
 * atomic, so the compare-and-swap is a single conditional UPDATE.
 */
export class SqliteCatalogStore implements CatalogStore {
  private readonly db: Database.Database;

  constructor(file: string, private readonly catalog = 'streamhouse') {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  async listNamespaces(parent: string[] = []): Promise<string[][]> {
    const rows = this.db
      .prepare(`SELECT namespace AS ns FROM iceberg_namespace_properties WHERE catalog_name = ? UNION SELECT table_namespace AS ns FROM iceberg_tables WHERE catalog_name = ?`)
      .all(this.catalog, this.catalog) as { ns: string }[];
    const prefix = parent.length ? `${join(parent)}.` : '';
    const out = new Set<string>();
    for (const { ns } of rows) {
      if (!ns.startsWith(prefix)) continue;
      const next = ns.slice(prefix.length).split('.')[0];
      if (next) out.add(prefix + next);
    }
    return [...out].sort().map((s) => s.split('.'));
  }

  async loadNamespace(ns: string[]): Promise<Record<string, string> | undefined> {
    const rows = this.db
      .prepare('SELECT property_key AS k, property_value AS v FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ?')
      .all(this.catalog, join(ns)) as { k: string; v: string }[];
    if (rows.length === 0) {
      const t = this.db.prepare('SELECT 1 FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? LIMIT 1').get(this.catalog, join(ns));
      return t ? {} : undefined;
    }
    return Object.fromEntries(rows.filter((r) => r.k !== 'exists').map((r) => [r.k, r.v]));
  }

  async createNamespace(ns: string[], properties: Record<string, string>): Promise<void> {
    const insert = this.db.prepare('INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ?').get(this.catalog, join(ns))) {
        throw new StoreConflict(`Namespace already exists: ${join(ns)}`);
      }
      insert.run(this.catalog, join(ns), 'exists', 'true');
      for (const [k, v] of Object.entries(properties)) if (k !== 'exists') insert.run(this.catalog, join(ns), k, v);
    })();
  }

  async dropNamespace(ns: string[]): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? LIMIT 1').get(this.catalog, join(ns))) {
        throw new StoreConflict(`Namespace is not empty: ${join(ns)}`);
      }
      return this.db.prepare('DELETE FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ?').run(this.catalog, join(ns)).changes > 0;
    })();
  }

  async updateNamespaceProperties(ns: string[], updates: Record<string, string>, removals: string[]) {
    const key = join(ns);
    return this.db.transaction(() => {
      const removed: string[] = [];
      const missing: string[] = [];
      for (const k of removals) {
        const r = this.db.prepare('DELETE FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ? AND property_key = ?').run(this.catalog, key, k);
        (r.changes > 0 ? removed : missing).push(k);
      }
      const upsert = this.db.prepare(
        'INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (?, ?, ?, ?) ON CONFLICT (catalog_name, namespace, property_key) DO UPDATE SET property_value = excluded.property_value',
      );
      for (const [k, v] of Object.entries(updates)) upsert.run(this.catalog, key, k, v);
      return { updated: Object.keys(updates), removed, missing };
    })();
  }

  async listTables(ns: string[]): Promise<string[]> {
    const rows = this.db.prepare('SELECT table_name AS t FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? ORDER BY table_name').all(this.catalog, join(ns)) as { t: string }[];
    return rows.map((r) => r.t);
  }

  async loadTable(ns: string[], name: string): Promise<string | undefined> {
    const row = this.db
      .prepare('SELECT metadata_location AS m FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?')
      .get(this.catalog, join(ns), name) as { m: string } | undefined;
    return row?.m;
  }

  async createTable(ns: string[], name: string, metadataLocation: string): Promise<void> {
    try {
      this.db
        .prepare("INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES (?, ?, ?, ?, NULL, 'TABLE')")
        .run(this.catalog, join(ns), name, metadataLocation);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new StoreConflict(`Table already exists: ${join(ns)}.${name}`);
      throw err;
    }
  }

  async swapTable(ns: string[], name: string, expected: string, next: string): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ? WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?')
      .run(next, expected, this.catalog, join(ns), name, expected);
    return r.changes === 1;
  }

  async dropTable(ns: string[], name: string): Promise<string | undefined> {
    return this.db.transaction(() => {
      const loc = this.db.prepare('SELECT metadata_location AS m FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?').get(this.catalog, join(ns), name) as { m: string } | undefined;
      this.db.prepare('DELETE FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?').run(this.catalog, join(ns), name);
      return loc?.m;
    })();
  }

  async renameTable(from: { ns: string[]; name: string }, to: { ns: string[]; name: string }): Promise<boolean> {
    try {
      const r = this.db
        .prepare('UPDATE iceberg_tables SET table_namespace = ?, table_name = ? WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?')
        .run(join(to.ns), to.name, this.catalog, join(from.ns), from.name);
      return r.changes === 1;
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new StoreConflict(`Table already exists: ${join(to.ns)}.${to.name}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
