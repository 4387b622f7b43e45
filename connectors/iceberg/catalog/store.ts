/**
 * Where the REST catalog keeps its state: namespaces with their properties, and for
 * each table the location of its current metadata file. The layout is that of
 * PyIceberg's SqlCatalog and Java's JdbcCatalog (tables `iceberg_tables` and
 * `iceberg_namespace_properties`, namespaces stored dot-joined), so either can open
 * the same database. Implementations: SqliteCatalogStore; PostgreSQL can implement
 * the same interface (every method is async for that reason).
 */
export interface CatalogStore {
  listNamespaces(parent?: string[]): Promise<string[][]>;
  /** undefined when the namespace does not exist. */
  loadNamespace(ns: string[]): Promise<Record<string, string> | undefined>;
  /** Throws StoreConflict when it exists. */
  createNamespace(ns: string[], properties: Record<string, string>): Promise<void>;
  /** Returns false when it does not exist; throws StoreConflict when it holds tables. */
  dropNamespace(ns: string[]): Promise<boolean>;
  updateNamespaceProperties(ns: string[], updates: Record<string, string>, removals: string[]): Promise<{ updated: string[]; removed: string[]; missing: string[] }>;
  listTables(ns: string[]): Promise<string[]>;
  /** The current metadata location, or undefined when there is no such table. */
  loadTable(ns: string[], name: string): Promise<string | undefined>;
  /** Throws StoreConflict when the table exists. */
  createTable(ns: string[], name: string, metadataLocation: string): Promise<void>;
  /** Compare-and-swap of metadata_location: false when `expected` is no longer current. */
  swapTable(ns: string[], name: string, expected: string, next: string): Promise<boolean>;
  /** Returns the last metadata location, or undefined when there was no such table. */
  dropTable(ns: string[], name: string): Promise<string | undefined>;
  /** Throws StoreConflict when the target exists; returns false when the source does not. */
  renameTable(from: { ns: string[]; name: string }, to: { ns: string[]; name: string }): Promise<boolean>;
  close(): Promise<void>;
}

/** The store refused a create or drop because of existing state. */
export class StoreConflict extends Error {
  override name = 'StoreConflict';
}
