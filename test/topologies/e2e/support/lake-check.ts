import { LakeSink, sinkConfig } from '../../../../connectors/iceberg/index.ts';
import { loadConfig } from '../../../../deploy/config.ts';
import { goldLakeTables } from '../../../../topologies/app/lake-tables.ts';
import type { PipelineTopicNames } from '../../../../topologies/pipeline-topics.ts';
import { testCatalog } from '../../../connectors/iceberg/harness.ts';
import { pyiceberg } from '../../../connectors/iceberg/pyiceberg.ts';

/**
 * Runs the lake sink of `npm start` (topologies/app/lake-tables.ts) over the gold topics into
 * a private catalog until every table holds `expected[table]` rows, and returns each table's
 * rows as PyIceberg reads them.
 */
export async function goldLakeRows(topics: PipelineTopicNames, groupId: string, expected: Record<string, number>): Promise<Record<string, Record<string, unknown>[]>> {
  const lake = await testCatalog('medallion-gold');
  const config = loadConfig();
  const tables = goldLakeTables(topics);
  const sink = new LakeSink(sinkConfig({ brokers: config.kafka.brokers, catalogUrl: lake.catalog.url, registryUrl: config.registry.url, s3: config.s3, groupId, tables, commitIntervalMs: 2000 }));
  try {
    await sink.start();
    const names = tables.map((t) => `${t.namespace.join('.')}.${t.table}`);
    const deadline = Date.now() + 120_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 3000));
      if (sink.error) throw sink.error;
      const counts = await Promise.all(names.map((n) => pyiceberg(lake.catalog.url, n, [{ op: 'count' }]).then((r) => r[0] as number, () => -1)));
      if (names.every((n, i) => counts[i]! >= (expected[n] ?? 0))) break;
      if (Date.now() > deadline) throw new Error(`lake tables not filled in 120 s: ${names.map((n, i) => `${n}=${counts[i]}`).join(', ')}`);
    }
    await sink.stop(true);
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const n of names) out[n] = (await pyiceberg(lake.catalog.url, n, [{ op: 'rows' }]))[0] as Record<string, unknown>[];
    return out;
  } finally {
    await sink.stop(false).catch(() => undefined);
    await lake.close();
  }
}
