import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../deploy/config.ts';
import { DATA_DIR } from '../../deploy/local/paths.ts';
import { startCatalog } from '../../connectors/iceberg/catalog/start-catalog.ts';
import { PostgresCatalogStore } from '../../connectors/iceberg/catalog/postgres-store.ts';

/**
 * `streamhouse catalog [--db FILE | --postgres URL]`: the Iceberg REST catalog on catalog.url
 * (default http://127.0.0.1:8181), with its state in SQLite (default
 * .cache/data/catalog/catalog.sqlite) or in PostgreSQL (URL, or env
 * STREAMHOUSE_CATALOG_POSTGRES), and new tables under catalog.warehouse. Runs until
 * SIGTERM/SIGINT.
 */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const dbIndex = args.indexOf('--db');
  const database = dbIndex >= 0 && args[dbIndex + 1] ? args[dbIndex + 1]! : join(DATA_DIR, 'catalog', 'catalog.sqlite');
  const pgIndex = args.indexOf('--postgres');
  const postgres = pgIndex >= 0 ? args[pgIndex + 1] : process.env.STREAMHOUSE_CATALOG_POSTGRES;
  if (!postgres) mkdirSync(join(database, '..'), { recursive: true });
  const url = new URL(config.catalog.url);
  const catalog = await startCatalog({
    host: url.hostname,
    port: Number(url.port || 80),
    database,
    warehouse: config.catalog.warehouse,
    s3: config.s3,
    ...(postgres ? { store: new PostgresCatalogStore(postgres) } : {}),
  });
  console.log(`[catalog] Iceberg REST catalog on ${catalog.url} (state ${postgres ? 'in PostgreSQL' : database}, warehouse ${config.catalog.warehouse})`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await catalog.close();
  return 0;
}
