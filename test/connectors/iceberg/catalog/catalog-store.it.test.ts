import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { PostgresCatalogStore } from '../../../../connectors/iceberg/catalog/postgres-store.ts';
import { SqliteCatalogStore } from '../../../../connectors/iceberg/catalog/sqlite-store.ts';
import { startCatalog } from '../../../../connectors/iceberg/catalog/start-catalog.ts';
import { StoreConflict, type CatalogStore } from '../../../../connectors/iceberg/catalog/store.ts';
import { RestCatalogClient } from '../../../../connectors/iceberg/client/rest-catalog-client.ts';
import { S3FileIO } from '../../../../connectors/iceberg/io/file-io.ts';
import { postgresAvailable, startPostgres } from '../private-postgres.ts';
import { catalogProps, runPython } from '../pyiceberg.ts';

/** The CatalogStore contract, run against every implementation. */
function contract(name: string, open: () => Promise<{ store: CatalogStore; done: () => Promise<void> }>) {
  describe(`${name} catalog store`, () => {
    let store: CatalogStore;
    let done: () => Promise<void>;
    beforeAll(async () => ({ store, done } = await open()));
    afterAll(async () => done?.());

    it('creates, lists, updates and drops namespaces', async () => {
      await store.createNamespace(['a'], { owner: 'x' });
      await store.createNamespace(['a', 'b'], {});
      await expect(store.createNamespace(['a'], {})).rejects.toThrow(new StoreConflict('Namespace already exists: a'));
      expect(await store.listNamespaces()).toEqual([['a']]);
      expect(await store.listNamespaces(['a'])).toEqual([['a', 'b']]);
      expect(await store.loadNamespace(['a'])).toEqual({ owner: 'x' });
      expect(await store.loadNamespace(['nope'])).toBeUndefined();
      expect(await store.updateNamespaceProperties(['a'], { team: 't' }, ['owner', 'gone'])).toEqual({ updated: ['team'], removed: ['owner'], missing: ['gone'] });
      expect(await store.loadNamespace(['a'])).toEqual({ team: 't' });
      expect(await store.dropNamespace(['a', 'b'])).toBe(true);
      expect(await store.dropNamespace(['a', 'b'])).toBe(false);
    });

    it('swaps metadata locations only from the expected one (compare-and-swap)', async () => {
      await store.createTable(['a'], 't', 's3://b/t/metadata/00000-x.metadata.json');
      await expect(store.createTable(['a'], 't', 'other')).rejects.toThrow(new StoreConflict('Table already exists: a.t'));
      expect(await store.swapTable(['a'], 't', 's3://b/t/metadata/00000-x.metadata.json', 'v1')).toBe(true);
      expect(await store.swapTable(['a'], 't', 's3://b/t/metadata/00000-x.metadata.json', 'v2')).toBe(false);
      const racers = await Promise.all(['r1', 'r2', 'r3'].map((n) => store.swapTable(['a'], 't', 'v1', n)));
      expect(racers.filter(Boolean)).toHaveLength(1);
      expect(await store.listTables(['a'])).toEqual(['t']);
      await expect(store.dropNamespace(['a'])).rejects.toThrow('Namespace is not empty: a');
      expect(await store.renameTable({ ns: ['a'], name: 't' }, { ns: ['a'], name: 'u' })).toBe(true);
      expect(await store.loadTable(['a'], 't')).toBeUndefined();
      expect(await store.dropTable(['a'], 'u')).toMatch(/^r[123]$/);
      expect(await store.dropNamespace(['a'])).toBe(true);
    });
  });
}

contract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-store-'));
  const store = new SqliteCatalogStore(join(dir, 'c.sqlite'));
  return { store, done: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
});

describe.skipIf(!postgresAvailable())('PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  contract('PostgreSQL', async () => {
    const store = new PostgresCatalogStore(pg.url);
    return { store, done: () => store.close() };
  });

  it('backs the REST catalog that PyIceberg writes and reads through', async () => {
    const config = loadConfig();
    const warehouse = `s3://${config.s3.bucket}/test-lake/pg-${process.pid}`;
    const catalog = await startCatalog({ host: '127.0.0.1', port: 0, database: '', warehouse, s3: config.s3, store: new PostgresCatalogStore(pg.url) });
    const ns = `pg_it_${process.pid}`;
    try {
      const out = (await runPython('catalog_ops.py', { catalog: catalogProps(catalog.url), ns, step: 'create' })) as Record<string, unknown>;
      expect(out.count).toBe(40);
      expect(out.tables).toEqual([[ns, 'py_table']]);
    } finally {
      const client = new RestCatalogClient(catalog.url);
      await client.dropTable([ns], 'py_table', true);
      await client.dropNamespace([ns]);
      await catalog.close();
      const io = new S3FileIO(config.s3);
      await io.deleteMany((await io.list(`${warehouse}/`)).map((f) => f.uri));
      io.close();
    }
  });
});
