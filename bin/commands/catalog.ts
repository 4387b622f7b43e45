import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../deploy/config.ts';
import { DATA_DIR } from '../../deploy/local/paths.ts';
import { startCatalog } from '../../connectors/iceberg/catalog/start-catalog.ts';

/**
 * `streamhouse catalog [--db FILE]`: the Iceberg REST catalog on catalog.url (default
 * http://127.0.0.1:8181), with its state in SQLite (default .cache/data/catalog/catalog.sqlite)
 * and new tables under catalog.warehouse. Runs until SIGTERM/SIGINT.
 */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const dbIndex = args.indexOf('--db');
  const database = dbIndex >= 0 && args[dbIndex + 1] ? args[dbIndex + 1]! : join(DATA_DIR, 'catalog', 'catalog.sqlite');
  mkdirSync(join(database, '..'), { recursive: true });
  const url = new URL(config.catalog.url);
  const catalog = await startCatalog({
    host: url.hostname,
    port: Number(url.port || 80),
    database,
    warehouse: config.catalog.warehouse,
    s3: config.s3,
  });
  console.log(`[catalog] Iceberg REST catalog on ${catalog.url} (state ${database}, warehouse ${config.catalog.warehouse})`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await catalog.close();
  return 0;
}
