import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GeneratedKind } from '../../connectors/sources/generator/record-generator.ts';
import { ensureTopics } from '../../connectors/sources/kafka/ensure-topics.ts';
import { runProduceJob } from '../../connectors/sources/producer/produce-job.ts';
import { AvroRegistrySerializer } from '../../connectors/sources/serde/avro-registry-serializer.ts';
import { loadConfig } from '../../deploy/config.ts';
import { systemClock } from '../../runtime/index.ts';
import { simulatorRates } from '../../topologies/app/live-traffic.ts';
import { startMedallionApp, type MedallionApp } from '../../topologies/app/medallion-app.ts';
import { ensurePipelineTopics } from '../../topologies/app/pipeline-topics-admin.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { Topics, renamed, type TopicSpec } from '../../topologies/topics.ts';
import { deleteTopicsWithPrefix, readAll, testKafka, uniquePrefix } from '../connectors/sources/support/kafka.ts';
import { decode, expectedClick, expectedSale, spendTracker } from './support/bronze-expectations.ts';

/**
 * The Avro path through the whole medallion application (what `npm start` runs): the
 * produce simulator writes Avro with late, duplicate and malformed records; the bridge and
 * the silver gate run in one application. Every pipeline event the test expects from the
 * Avro input reaches bronze.events.raw once, and each bronze event lands in exactly one of
 * silver, DLQ, late or duplicates: bronze = silver + duplicates + DLQ + late. Gold then links
 * the simulated orders to their users' clicks (orders name the user in `user_id`).
 */
const config = loadConfig();
const prefix = uniquePrefix('bridge-pipeline');
const kafka = testKafka();
const pipeline = pipelineConfig({ prefix });
const b = Topics.bronze;
const sources: Record<GeneratedKind, TopicSpec> = {
  clickstream: renamed(b.clickstream, prefix + b.clickstream.name), sales: renamed(b.sales, prefix + b.sales.name),
  customers: renamed(b.customers, prefix + b.customers.name), campaigns: renamed(b.campaigns, prefix + b.campaigns.name), products: renamed(b.products, prefix + b.products.name),
};
let app: MedallionApp | undefined;
let stateDir: string | undefined;
afterAll(async () => {
  await app?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  await deleteTopicsWithPrefix(kafka, prefix);
}, 60_000);

/** Event ids per topic, read (committed records only) until `done` holds. */
async function collect(topics: readonly string[], done: (ids: Map<string, string[]>) => boolean): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>(topics.map((t) => [t, []]));
  const consumer = kafka.consumer({ groupId: `${prefix}collect`, maxBytes: 32 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const v = JSON.parse(message.value!.toString()) as { eventId?: string; raw?: string };
      ids.get(topic)!.push(v.eventId ?? (JSON.parse(v.raw!) as { eventId: string }).eventId);
      if (done(ids)) finish();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not done: ${[...ids].map(([t, l]) => `${t} ${l.length}`).join(', ')}`)), 240_000)))]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return ids;
}

/** Latest JSON value per key (null: a tombstone) of each topic, read until `done` holds. */
async function latestValues<V>(topics: readonly string[], done: (latest: Map<string, Map<string, V | null>>) => boolean): Promise<Map<string, Map<string, V | null>>> {
  const latest = new Map(topics.map((t) => [t, new Map<string, V | null>()]));
  const consumer = kafka.consumer({ groupId: `${prefix}latest`, maxBytes: 32 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      latest.get(topic)!.set(message.key!.toString(), message.value === null ? null : (JSON.parse(message.value.toString()) as V));
      if (done(latest)) finish();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not done: ${[...latest].map(([t, m]) => `${t} ${m.size} keys`).join(', ')}`)), 120_000)))]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return latest;
}

describe('Avro bronze through the medallion application', () => {
  it('every expected event reaches bronze.events.raw once, and bronze = silver + duplicates + DLQ + late', async () => {
    const admin = kafka.admin();
    await admin.connect();
    for (let attempt = 1; ; attempt++) {
      const failed = await ensurePipelineTopics(admin, pipeline.topics).then(() => ensureTopics(admin, Object.values(sources))).then(() => undefined, (err: Error) => err);
      if (failed === undefined) break;
      if (attempt >= 5) throw failed;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
    await admin.disconnect();

    const serializer = new AvroRegistrySerializer(config.registry.url);
    const start = Date.UTC(2026, 5, 2, 18);
    await runProduceJob({
      generator: { seed: 21, startTime: start, rate: 3, products: 40, kinds: ['clickstream', 'sales', 'customers', 'campaigns', 'products'], faults: { lateFraction: 0.05, beyondLatenessShare: 0.4, duplicateFraction: 0.04, malformedFraction: 0.03 } },
      topics: sources, kafka, serializer, worker: false, clock: systemClock, speed: Infinity, count: 2500, producerId: 'bridge-pipeline-it',
    });
    // The pipeline events the Avro input should give, computed by the test.
    const ids = serializer.schemaIds();
    const expectedIds: string[] = [];
    for (const kind of ['sales', 'clickstream', 'campaigns'] as const) {
      const spend = new Map<number, ReturnType<typeof spendTracker>>();
      for (const m of await readAll(kafka, sources[kind].name)) {
        const v = decode(sources[kind].schema, ids[sources[kind].name]!, m.value);
        if (v === undefined) continue;
        if (!spend.has(m.partition)) spend.set(m.partition, spendTracker());
        const e = kind === 'sales' ? expectedSale(v) : kind === 'clickstream' ? expectedClick(v) : spend.get(m.partition)!(v);
        if (e.kind === 'bridged') expectedIds.push(e.key);
      }
    }

    stateDir = await mkdtemp(join(tmpdir(), 'bridge-pipeline-it-'));
    app = await startMedallionApp({ applicationId: `${prefix}app`, brokers: config.kafka.brokers, pipeline: { prefix, rates: simulatorRates() }, bronzeBridge: { registryUrl: config.registry.url }, httpEnabled: false, stateDir });
    const t = pipeline.topics;
    const outcomes = [t.silverEvents, t.dlq, t.late, t.duplicates];
    const got = await collect([t.bronzeEvents, ...outcomes], (m) => m.get(t.bronzeEvents)!.length >= expectedIds.length && outcomes.reduce((n, o) => n + m.get(o)!.length, 0) >= expectedIds.length);

    expect(got.get(t.bronzeEvents)!.sort()).toEqual([...expectedIds].sort());
    const counts = Object.fromEntries(outcomes.map((o) => [o.slice(prefix.length), got.get(o)!.length]));
    expect(outcomes.flatMap((o) => got.get(o)!).sort()).toEqual([...expectedIds].sort());
    // Byte-identical re-sends and events beyond 48 h reach the gate through the bridge.
    expect(counts['silver.events.duplicates']).toBeGreaterThan(0);
    expect(counts['silver.events.late']).toBeGreaterThan(0);
    console.log(`avro pipeline it: ${expectedIds.length} bronze events; ${JSON.stringify(counts)}`);
  }, 400_000);

  it('links the simulated orders to the clicks of the users who placed them: campaign credit and customer features', async () => {
    const t = pipeline.topics;
    type Row = { model?: string; campaign?: string; revenue?: string } | null;
    const credited = (rows: Map<string, Row>) => [...rows.values()].filter((r) => r !== null && r.model === 'linear' && r.campaign !== '(none)' && Number(r.revenue) > 0);
    // A user's features handed over to the customer its order names leave a tombstone under the user id (simulator users start at 512,000,000).
    const handedOver = (rows: Map<string, Row>) => [...rows].filter(([key, r]) => r === null && Number(key) >= 512_000_000);
    const latest = await latestValues<NonNullable<Row>>([t.attribution, t.features], (m) => credited(m.get(t.attribution)!).length > 0 && handedOver(m.get(t.features)!).length > 0);
    const attribution = latest.get(t.attribution)!;
    console.log(`avro pipeline it: linear credits to campaigns ${credited(attribution).map((r) => `${r!.campaign} ${r!.revenue}`).join(', ')}; features handed over by ${handedOver(latest.get(t.features)!).length} users`);
    expect(credited(attribution).length).toBeGreaterThan(0);
  }, 200_000);
});
