import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../deploy/config.ts';
import { startCatalog, type RunningCatalog } from '../../../connectors/iceberg/catalog/start-catalog.ts';
import { RestCatalogClient } from '../../../connectors/iceberg/client/rest-catalog-client.ts';
import { S3FileIO } from '../../../connectors/iceberg/io/file-io.ts';

/**
 * A private catalog for one test file: its own SQLite file, a free port and a unique
 * warehouse prefix in the shared bucket; `close` removes all three.
 */
export async function testCatalog(tag: string, s3Endpoint?: string): Promise<{
  catalog: RunningCatalog;
  client: RestCatalogClient;
  io: S3FileIO;
  warehouse: string;
  database: string;
  close: () => Promise<void>;
}> {
  const base = loadConfig();
  const config = { ...base, s3: { ...base.s3, endpoint: s3Endpoint ?? base.s3.endpoint } };
  const dir = mkdtempSync(join(tmpdir(), `sh-lake-${tag}-`));
  const warehouse = `s3://${config.s3.bucket}/test-lake/${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const database = join(dir, 'catalog.sqlite');
  const catalog = await startCatalog({ host: '127.0.0.1', port: 0, database, warehouse, s3: config.s3 });
  const io = new S3FileIO(config.s3);
  return {
    catalog,
    client: new RestCatalogClient(catalog.url),
    io,
    warehouse,
    database,
    close: async () => {
      await catalog.close();
      const files = await io.list(`${warehouse}/`);
      await io.deleteMany(files.map((f) => f.uri));
      io.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
