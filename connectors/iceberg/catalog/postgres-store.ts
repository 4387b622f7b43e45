import pg from 'pg';
import { StoreConflict, type CatalogStore } from './store.ts';
import { CATALOG_TABLES_DDL as SCHEMA, namespaceKey as join } from './catalog-tables.ts';

const UNIQUE_VIOLATION = '23505';

/**
 * The catalog state in PostgreSQL, for production: the same two tables as the SQLite
 * store (and as PyIceberg's SqlCatalog and Java's JdbcCatalog). The compare-and-swap is
 * one conditional UPDATE; multi-statement changes run in a transaction.
 */
export class PostgresCatalogStore implements CatalogStore {
  private readonly pool: pg.Pool;
  private ready: Promise<unknown>;

  constructor(connectionString: string, private readonly catalog = 'streamhouse') {
    this.pool = new pg.Pool({ connectionString, max: 4 });
    this.ready = this.pool.query(SCHEMA);
  }

  private async q<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
    await this.ready;
    return this.pool.query<T>(sql, params);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready;
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async listNamespaces(parent: string[] = []): Promise<string[][]> {
    const { rows } = await this.q<{ ns: string }>(
      'SELECT namespace AS ns FROM iceberg_namespace_properties WHERE catalog_name = $1 UNION SELECT table_namespace AS ns FROM iceberg_tables WHERE catalog_name = $1',
      [this.catalog],
    );
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
    const { rows } = await this.q<{ k: string; v: string }>('SELECT property_key AS k, property_value AS v FROM iceberg_namespace_properties WHERE catalog_name = $1 AND namespace = $2', [this.catalog, join(ns)]);
    if (rows.length === 0) {
      const t = await this.q('SELECT 1 FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 LIMIT 1', [this.catalog, join(ns)]);
      return t.rowCount ? {} : undefined;
    }
    return Object.fromEntries(rows.filter((r) => r.k !== 'exists').map((r) => [r.k, r.v]));
  }

  async createNamespace(ns: string[], properties: Record<string, string>): Promise<void> {
    try {
      await this.tx(async (c) => {
        const insert = 'INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES ($1, $2, $3, $4)';
        await c.query(insert, [this.catalog, join(ns), 'exists', 'true']);
        for (const [k, v] of Object.entries(properties)) if (k !== 'exists') await c.query(insert, [this.catalog, join(ns), k, v]);
      });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new StoreConflict(`Namespace already exists: ${join(ns)}`);
      throw err;
    }
  }

  async dropNamespace(ns: string[]): Promise<boolean> {
    return this.tx(async (c) => {
      const t = await c.query('SELECT 1 FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 LIMIT 1', [this.catalog, join(ns)]);
      if (t.rowCount) throw new StoreConflict(`Namespace is not empty: ${join(ns)}`);
      const r = await c.query('DELETE FROM iceberg_namespace_properties WHERE catalog_name = $1 AND namespace = $2', [this.catalog, join(ns)]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async updateNamespaceProperties(ns: string[], updates: Record<string, string>, removals: string[]) {
    return this.tx(async (c) => {
      const removed: string[] = [];
      const missing: string[] = [];
      for (const k of removals) {
        const r = await c.query('DELETE FROM iceberg_namespace_properties WHERE catalog_name = $1 AND namespace = $2 AND property_key = $3', [this.catalog, join(ns), k]);
        (r.rowCount ? removed : missing).push(k);
      }
      for (const [k, v] of Object.entries(updates)) {
        await c.query(
          'INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES ($1, $2, $3, $4) ON CONFLICT (catalog_name, namespace, property_key) DO UPDATE SET property_value = EXCLUDED.property_value',
          [this.catalog, join(ns), k, v],
        );
      }
      return { updated: Object.keys(updates), removed, missing };
    });
  }

  async listTables(ns: string[]): Promise<string[]> {
    const { rows } = await this.q<{ t: string }>('SELECT table_name AS t FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 ORDER BY table_name', [this.catalog, join(ns)]);
    return rows.map((r) => r.t);
  }

  async loadTable(ns: string[], name: string): Promise<string | undefined> {
    const { rows } = await this.q<{ m: string }>('SELECT metadata_location AS m FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 AND table_name = $3', [this.catalog, join(ns), name]);
    return rows[0]?.m;
  }

  async createTable(ns: string[], name: string, metadataLocation: string): Promise<void> {
    try {
      await this.q("INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES ($1, $2, $3, $4, NULL, 'TABLE')", [this.catalog, join(ns), name, metadataLocation]);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new StoreConflict(`Table already exists: ${join(ns)}.${name}`);
      throw err;
    }
  }

  async swapTable(ns: string[], name: string, expected: string, next: string): Promise<boolean> {
    const r = await this.q(
      'UPDATE iceberg_tables SET metadata_location = $1, previous_metadata_location = $2 WHERE catalog_name = $3 AND table_namespace = $4 AND table_name = $5 AND metadata_location = $2',
      [next, expected, this.catalog, join(ns), name],
    );
    return r.rowCount === 1;
  }

  async dropTable(ns: string[], name: string): Promise<string | undefined> {
    const { rows } = await this.q<{ m: string }>('DELETE FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 AND table_name = $3 RETURNING metadata_location AS m', [this.catalog, join(ns), name]);
    return rows[0]?.m;
  }

  async renameTable(from: { ns: string[]; name: string }, to: { ns: string[]; name: string }): Promise<boolean> {
    try {
      const r = await this.q('UPDATE iceberg_tables SET table_namespace = $1, table_name = $2 WHERE catalog_name = $3 AND table_namespace = $4 AND table_name = $5', [join(to.ns), to.name, this.catalog, join(from.ns), from.name]);
      return r.rowCount === 1;
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new StoreConflict(`Table already exists: ${join(to.ns)}.${to.name}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
