import type { AddressInfo } from 'node:net';
import { S3FileIO, type S3Settings } from '../io/file-io.ts';
import { catalogServer } from './server.ts';
import { SqliteCatalogStore } from './sqlite-store.ts';
import type { CatalogStore } from './store.ts';
import { TableService } from './table-service.ts';

export interface CatalogOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** SQLite file of the catalog state (created when missing). */
  database: string;
  /** `s3://bucket/prefix` under which new tables are placed. */
  warehouse: string;
  s3: S3Settings;
  /** Injected clock for metadata timestamps. */
  now?: () => number;
  /** Another store (such as PostgreSQL) instead of the SQLite file. */
  store?: CatalogStore;
}

export interface RunningCatalog {
  url: string;
  close(): Promise<void>;
}

/** Starts the embedded Iceberg REST catalog and resolves once it listens. */
export async function startCatalog(opts: CatalogOptions): Promise<RunningCatalog> {
  const store = opts.store ?? new SqliteCatalogStore(opts.database);
  const io = new S3FileIO(opts.s3);
  // eslint-disable-next-line no-restricted-properties -- metadata timestamps are wall-clock time by definition
  const tables = new TableService(store, io, opts.warehouse, opts.now ?? (() => Date.now()));
  const server = catalogServer(store, tables);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      io.close();
      await store.close();
    },
  };
}
