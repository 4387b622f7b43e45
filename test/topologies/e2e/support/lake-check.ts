import { LakeSink, sinkConfig } from '../../../../connectors/iceberg/index.ts';
import { loadConfig } from '../../../../deploy/config.ts';
import { goldLakeTables } from '../../../../topologies/app/lake-tables.ts';
import type { PipelineTopicNames } from '../../../../topologies/pipeline-topics.ts';
import { testCatalog } from '../../../connectors/iceberg/harness.ts';
import { pyiceberg } from '../../../connectors/iceberg/pyiceberg.ts';

/**
 * Runs the lake sink of `npm start` (topologies/app/lake-tables.ts) over the gold topics into
 * a private catalog until it has consumed `records()` records (the committed records of the
 * gold topics, counted by the caller's read_committed reader, nulls included), commits them,
 * and returns each table's rows as PyIceberg reads them. The sink's counts reconcile with the
 * topics: every record is a row, a delete, or a dead letter (which fails the check).
 */
export async function goldLakeRows(topics: PipelineTopicNames, groupId: string, records: () => number): Promise<Record<string, Record<string, unknown>[]>> {
  const lake = await testCatalog('medallion-gold');
  const config = loadConfig();
  const tables = goldLakeTables(topics);
  const sink = new LakeSink(sinkConfig({ brokers: config.kafka.brokers, catalogUrl: lake.catalog.url, registryUrl: config.registry.url, s3: config.s3, groupId, tables, commitIntervalMs: 2000 }));
  const consumed = () => sink.stats.records + sink.stats.deletes + sink.stats.ignoredTombstones + sink.stats.deadLettered;
  try {
    await sink.start();
    const deadline = Date.now() + 120_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      if (sink.error) throw sink.error;
      if (sink.stats.deadLettered > 0) throw new Error(`the lake sink dead-lettered ${sink.stats.deadLettered} gold records (see the .lake-dlq topics)`);
      if (consumed() >= records()) break;
      if (Date.now() > deadline) throw new Error(`the lake sink consumed ${consumed()} of ${records()} gold records in 120 s`);
    }
    await sink.stop(true);
    if (consumed() !== records()) throw new Error(`the lake sink consumed ${consumed()} records, the gold topics hold ${records()}`);
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const t of tables) {
      const name = `${t.namespace.join('.')}.${t.table}`;
      out[name] = (await pyiceberg(lake.catalog.url, name, [{ op: 'rows' }]))[0] as Record<string, unknown>[];
    }
    return out;
  } finally {
    await sink.stop(false).catch(() => undefined);
    await lake.close();
  }
}
