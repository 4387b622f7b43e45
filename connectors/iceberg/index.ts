/**
 * The lake: Apache Iceberg v2 tables on S3, an embedded REST catalog, and the sink
 * connector. This file is the public surface; everything else is internal to
 * connectors/iceberg.
 */
export { IcebergError, CommitFailedError } from './errors.ts';
export type { IcebergType, NestedField, Schema } from './schema/types.ts';
export { avroToIceberg, type AvroSchema } from './schema/avro-to-iceberg.ts';
export { avroRowConverter, type Row } from './schema/avro-values.ts';
export { partitionSpecFor, type PartitionSpec } from './partition/spec.ts';
export type { TableMetadata, Snapshot } from './metadata/table-metadata.ts';
export { S3FileIO, type FileIO, type S3Settings } from './io/file-io.ts';
export { RestCatalogClient, type LoadedTable } from './client/rest-catalog-client.ts';
export { startCatalog, type CatalogOptions, type RunningCatalog } from './catalog/start-catalog.ts';
export type { CatalogStore } from './catalog/store.ts';
export { SqliteCatalogStore } from './catalog/sqlite-store.ts';
export { PostgresCatalogStore } from './catalog/postgres-store.ts';
export { ensureTable, type TableDefinition } from './table/ensure-table.ts';
export { writeDataFiles } from './table/data-writer.ts';
export { commitSnapshot, type SnapshotChange, type CommitContext } from './table/commit-snapshot.ts';
export { upsert } from './table/upsert.ts';
export { LakeSink } from './sink/lake-sink.ts';
export { sinkConfig, DEFAULTS as SINK_DEFAULTS, type LakeSinkConfig, type SinkTableConfig } from './sink/sink-config.ts';
export { OFFSETS_KEY } from './sink/offsets.ts';
export { compact, COMPACT_DEFAULTS, type CompactOptions } from './maintenance/compact.ts';
export { expireSnapshots, EXPIRE_DEFAULTS, type ExpireOptions } from './maintenance/expire-snapshots.ts';
export { cleanOrphans, ORPHAN_MIN_AGE_MS } from './maintenance/clean-orphans.ts';
