/**
 * The catalog's two tables, laid out as Java's JdbcCatalog and PyIceberg's SqlCatalog lay
 * them out, so either can open a streamhouse catalog database. Plain SQL that SQLite and
 * PostgreSQL both accept.
 */
export const CATALOG_TABLES_DDL = `
CREATE TABLE IF NOT EXISTS iceberg_tables (
  catalog_name VARCHAR(255) NOT NULL,
  table_namespace VARCHAR(255) NOT NULL,
  table_name VARCHAR(255) NOT NULL,
  metadata_location VARCHAR(1000),
  previous_metadata_location VARCHAR(1000),
  iceberg_type VARCHAR(5),
  PRIMARY KEY (catalog_name, table_namespace, table_name)
);
CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
  catalog_name VARCHAR(255) NOT NULL,
  namespace VARCHAR(255) NOT NULL,
  property_key VARCHAR(255) NOT NULL,
  property_value VARCHAR(1000),
  PRIMARY KEY (catalog_name, namespace, property_key)
);`;

/** A namespace as the catalog tables store it: its levels joined by dots. */
export const namespaceKey = (ns: string[]): string => ns.join('.');
