import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitFailedError, IcebergError } from '../../../../connectors/iceberg/errors.ts';
import { commitSnapshot } from '../../../../connectors/iceberg/table/commit-snapshot.ts';
import { writeDataFiles } from '../../../../connectors/iceberg/table/data-writer.ts';
import { currentSchema, defaultSpec } from '../../../../connectors/iceberg/metadata/table-metadata.ts';
import { testCatalog } from '../harness.ts';
import { catalogProps, runPython } from '../pyiceberg.ts';

describe('REST catalog driven by PyIceberg', () => {
  let env: Awaited<ReturnType<typeof testCatalog>>;
  const ns = `cat_it_${process.pid}`;
  const py = (step: string, extra: Record<string, unknown> = {}) =>
    runPython('catalog_ops.py', { catalog: catalogProps(env.catalog.url), ns, step, ...extra }) as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    env = await testCatalog('catalog');
  });
  afterAll(async () => {
    await env?.client.dropTable([ns], 'renamed', true).catch(() => undefined);
    await env?.client.dropNamespace([ns]).catch(() => undefined);
    await env?.close();
  });

  it('serves namespaces, table create, append commits, list and exists to PyIceberg', async () => {
    const out = await py('create');
    expect(out.namespaces).toEqual([[ns]]);
    expect(out.props).toEqual({ owner: 'lake-test' });
    expect(out.update).toEqual({ updated: ['team'], removed: ['owner'], missing: ['nope'] });
    expect(out.count).toBe(40);
    expect(out.tables).toEqual([[ns, 'py_table']]);
    expect(out.exists).toBe(true);
    expect(out.missing_exists).toBe(false);
    expect(out.dup_namespace).toBe('NamespaceAlreadyExistsError');
    // PyIceberg's snapshot ids are random 63-bit longs: the catalog must keep every digit.
    const loaded = await env.client.loadTable([ns], 'py_table');
    expect(loaded!.metadata.snapshots.map((s) => String(s['snapshot-id']))).toEqual(out.snapshot_ids);
  });

  it('answers 409 CommitFailedException when a requirement fails, 400 on an unknown update', async () => {
    const loaded = (await env.client.loadTable([ns], 'py_table'))!;
    const stale = loaded.metadata.snapshots[0]!['snapshot-id'];
    const err = await env.client
      .commit([ns], 'py_table', [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': stale }], [{ action: 'set-properties', updates: { a: 'b' } }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitFailedError);
    expect((err as Error).message).toMatch(/^commit .*: 409 CommitFailedException Requirement failed: branch main has changed/);
    const bad = await env.client.commit([ns], 'py_table', [], [{ action: 'fly-away' }]).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(IcebergError);
    expect((bad as Error).message).toContain('400 BadRequestException unknown table update action "fly-away"');
    const again = (await env.client.loadTable([ns], 'py_table'))!;
    expect(again.metadataLocation).toBe(loaded.metadataLocation);
  });

  it('lets streamhouse append to a PyIceberg table, and PyIceberg read both after a rename', async () => {
    const loaded = (await env.client.loadTable([ns], 'py_table'))!;
    const m = loaded.metadata;
    const rows = [100n, 101n, 102n].map((id) => ({ id, country: 'se' }));
    const files = await writeDataFiles(env.io, m.location, currentSchema(m), defaultSpec(m), rows);
    await commitSnapshot({ client: env.client, io: env.io, namespace: [ns], table: 'py_table', nowMs: () => Date.now() }, { operation: 'append', addedData: files });
    const renamed = await py('rename');
    expect(renamed.tables).toEqual([[ns, 'renamed']]);
    const read = await py('read');
    expect(read.count).toBe(43);
    expect((read.ids as number[]).slice(-3)).toEqual([100, 101, 102]);
    expect(read.snapshots).toBe(3);
    expect(read.metadata_log).toBe(3);
    expect(read.drop_nonempty).toBe('NamespaceNotEmptyError');
  });

  it('keeps its state in the tables PyIceberg SqlCatalog reads', async () => {
    const db = new Database(env.database, { readonly: true });
    const row = db.prepare('SELECT * FROM iceberg_tables WHERE table_namespace = ?').get(ns) as Record<string, string>;
    db.close();
    expect(row).toMatchObject({ catalog_name: 'streamhouse', table_name: 'renamed', iceberg_type: 'TABLE' });
    expect(row.metadata_location).toMatch(/\/metadata\/00003-[0-9a-f-]+\.metadata\.json$/);
    expect(row.previous_metadata_location).toMatch(/\/metadata\/00002-[0-9a-f-]+\.metadata\.json$/);
    const sql = await py('sql', { sqlite: env.database });
    expect(sql.tables).toEqual([[ns, 'renamed']]);
    expect(sql.count).toBe(43);
  });
});
