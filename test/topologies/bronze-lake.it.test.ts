import { afterAll, describe, expect, it } from 'vitest';
import { LakeSink, sinkConfig } from '../../connectors/iceberg/index.ts';
import { offsetsOf } from '../../connectors/iceberg/sink/offsets.ts';
import type { GeneratedKind } from '../../connectors/sources/generator/record-generator.ts';
import { ensureTopics } from '../../connectors/sources/kafka/ensure-topics.ts';
import { runProduceJob } from '../../connectors/sources/producer/produce-job.ts';
import { AvroRegistrySerializer } from '../../connectors/sources/serde/avro-registry-serializer.ts';
import { loadConfig } from '../../deploy/config.ts';
import { systemClock } from '../../runtime/index.ts';
import { bronzeLakeTables } from '../../topologies/app/lake-tables.ts';
import { Topics, renamed, type TopicSpec } from '../../topologies/topics.ts';
import { testCatalog } from '../connectors/iceberg/harness.ts';
import { waitFor } from '../connectors/iceberg/kafka-support.ts';
import { pyiceberg } from '../connectors/iceberg/pyiceberg.ts';
import { deleteTopicsWithPrefix, readAll, testKafka, uniquePrefix } from '../connectors/sources/support/kafka.ts';
import { decode } from './support/bronze-expectations.ts';

/**
 * Every Avro bronze topic also goes to the lake: the `streamhouse produce` simulator writes
 * all five bronze topics through the registry (malformed payloads and duplicates mixed in),
 * the lake sink of `npm start` (bronzeLakeTables) appends them to `bronze.*` tables, and
 * PyIceberg reads each table back. Expected rows are computed by the test from the topic's
 * bytes on its own (a record is a row when it is a Confluent frame with the registered id
 * that avsc decodes): the table holds exactly those, duplicates included, partitioned by
 * day; the rest is in `<topic>.lake-dlq`.
 */
const config = loadConfig();
const prefix = uniquePrefix('bronze-lake');
const kafka = testKafka();
const b = Topics.bronze;
const sources: Record<GeneratedKind, TopicSpec> = {
  clickstream: renamed(b.clickstream, prefix + b.clickstream.name), sales: renamed(b.sales, prefix + b.sales.name),
  customers: renamed(b.customers, prefix + b.customers.name), campaigns: renamed(b.campaigns, prefix + b.campaigns.name), products: renamed(b.products, prefix + b.products.name),
};
/** The column that identifies a record of each topic (not unique: duplicates repeat it). */
const ID: Record<GeneratedKind, string> = { clickstream: 'event_id', sales: 'event_id', customers: 'customer_id', campaigns: 'campaign_id', products: 'product_id' };

let sink: LakeSink | undefined;
let lake: Awaited<ReturnType<typeof testCatalog>> | undefined;
afterAll(async () => {
  await sink?.stop(false).catch(() => undefined);
  await lake?.close();
  await deleteTopicsWithPrefix(kafka, prefix);
}, 60_000);

describe('bronze topics in the lake', () => {
  it('appends every decodable record of each Avro bronze topic to its bronze table and dead-letters the rest', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(sources));
    const stats = await runProduceJob({
      generator: { seed: 11, startTime: Date.UTC(2026, 5, 1, 9), rate: 2, products: 30, kinds: ['clickstream', 'sales', 'customers', 'campaigns', 'products'], faults: { malformedFraction: 0.03, duplicateFraction: 0.02 } },
      topics: sources, kafka, serializer: new AvroRegistrySerializer(config.registry.url), worker: false, clock: systemClock, speed: Infinity, count: 2000, producerId: 'bronze-lake-it',
    });
    expect(stats.acked).toBe(2000);

    // What each table must hold, from the bytes in the topic.
    const expected = new Map<GeneratedKind, { ids: string[]; bad: number }>();
    for (const kind of Object.keys(sources) as GeneratedKind[]) {
      const spec = sources[kind];
      const res = await fetch(`${config.registry.url}/subjects/${encodeURIComponent(`${spec.name}-value`)}/versions/latest`);
      const id = ((await res.json()) as { id: number }).id;
      const ids: string[] = [];
      let bad = 0;
      for (const m of await readAll(kafka, spec.name)) {
        const v = decode(spec.schema, id, m.value);
        if (v === undefined) bad++;
        else ids.push(String(v[ID[kind]]));
      }
      expected.set(kind, { ids: ids.sort(), bad });
    }
    expect([...expected.values()].reduce((n, e) => n + e.ids.length + e.bad, 0)).toBe(2000);
    expect([...expected.values()].some((e) => e.bad > 0)).toBe(true);

    lake = await testCatalog('bronze');
    const tables = bronzeLakeTables(prefix);
    sink = new LakeSink(sinkConfig({ brokers: config.kafka.brokers, groupId: `${prefix}lake`, catalogUrl: lake.catalog.url, registryUrl: config.registry.url, s3: config.s3, tables, commitIntervalMs: 1000 }), () => undefined);
    await sink.start();
    for (const t of tables) {
      const topic = t.topics[0]!;
      const ends = await admin.fetchTopicOffsets(topic);
      await waitFor(async () => {
        if (sink!.error) throw sink!.error;
        const loaded = await lake!.client.loadTable(t.namespace, t.table);
        const at = loaded ? offsetsOf(loaded.metadata).get(topic) : undefined;
        return ends.every((e) => Number(e.high) === 0 || (at?.get(e.partition) ?? 0n) >= BigInt(e.high));
      }, 120_000, `the lake table ${t.table} to commit ${topic}`);
    }
    const dlqCounts = new Map<string, number>();
    const existing = new Set(await admin.listTopics());
    for (const t of tables) {
      const dlq = `${t.topics[0]!}.lake-dlq`;
      const offsets = existing.has(dlq) ? await admin.fetchTopicOffsets(dlq) : [];
      dlqCounts.set(t.topics[0]!, offsets.reduce((n, o) => n + Number(o.high), 0));
    }
    await admin.disconnect();

    for (const [kind, spec] of Object.entries(sources) as [GeneratedKind, TopicSpec][]) {
      const table = tables.find((t) => t.topics[0] === spec.name)!;
      const name = `${table.namespace.join('.')}.${table.table}`;
      const [rows, schema] = (await pyiceberg(lake.catalog.url, name, [{ op: 'rows', columns: [ID[kind]] }, { op: 'schema' }])) as [Record<string, unknown>[], { spec: { fields: { transform: string }[] } }];
      const want = expected.get(kind)!;
      expect({ kind, ids: rows.map((r) => String(r[ID[kind]])).sort() }).toEqual({ kind, ids: want.ids });
      expect(dlqCounts.get(spec.name)).toBe(want.bad);
      expect(schema.spec.fields.map((f) => f.transform)).toEqual(['day']);
    }
  }, 360_000);
});
