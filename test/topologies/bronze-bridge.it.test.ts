import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { GeneratedKind } from '../../connectors/sources/generator/record-generator.ts';
import { runIngestJob } from '../../connectors/sources/ingest/ingest-job.ts';
import { ensureTopics } from '../../connectors/sources/kafka/ensure-topics.ts';
import { idempotentProducer } from '../../connectors/sources/kafka/kafka-client.ts';
import { RecordSink } from '../../connectors/sources/kafka/record-sink.ts';
import { runProduceJob } from '../../connectors/sources/producer/produce-job.ts';
import { AvroRegistrySerializer } from '../../connectors/sources/serde/avro-registry-serializer.ts';
import { loadConfig } from '../../deploy/config.ts';
import { DLQ_HEADERS, KafkaStreams, StreamsBuilder, systemClock } from '../../runtime/index.ts';
import { addBronzeBridge } from '../../topologies/app/bronze-bridge-app.ts';
import { ensurePipelineTopics } from '../../topologies/app/pipeline-topics-admin.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import type { PipelineTopicNames } from '../../topologies/pipeline-topics.ts';
import { LINEAGE_HEADERS, Topics, renamed, type TopicSpec } from '../../topologies/topics.ts';
import { deleteTopicsWithPrefix, readAll, testKafka, uniquePrefix } from '../connectors/sources/support/kafka.ts';
import { REES46_SAMPLE, SHARED_DATA, UCI_ONLINE_RETAIL } from '../support/shared-data.ts';
import { decode, expectedClick, expectedProduct, expectedProfile, expectedSale, spendTracker, type Expected } from './support/bronze-expectations.ts';

/**
 * The bronze bridge on the real services, fed by the real producers through the schema
 * registry: the `streamhouse produce` simulator writes every Avro bronze topic (with
 * malformed payloads mixed in) plus a few hand-made records it never makes (a RETURNED
 * guest order, an ADJUSTMENT, JSON without the magic byte); `streamhouse ingest` writes a
 * UCI Online Retail sample (orders, C… cancellations, A… bad-debt adjustments) and the
 * REES46 sample. The bridge runs until every input has its one output;
 * each output is found by the input it names (sh-origin, or the DLQ source headers) and
 * compared with what the test computes from the input on its own.
 */
const config = loadConfig();
const prefix = uniquePrefix('bridge');
const kafka = testKafka();
const b = Topics.bronze;
const sourcesOf = (run: string): Record<GeneratedKind, TopicSpec> => ({
  clickstream: renamed(b.clickstream, run + b.clickstream.name), sales: renamed(b.sales, run + b.sales.name),
  customers: renamed(b.customers, run + b.customers.name), campaigns: renamed(b.campaigns, run + b.campaigns.name), products: renamed(b.products, run + b.products.name),
});
const running: KafkaStreams[] = [];
const stateDirs: string[] = [];
afterAll(async () => {
  for (const s of running) await s.close();
  for (const d of stateDirs) await rm(d, { recursive: true, force: true });
  await deleteTopicsWithPrefix(kafka, prefix);
}, 60_000);

const START = Date.UTC(2026, 5, 1, 9);
const order = (over: object) => ({
  event_id: 'hand-1', order_id: 'hand-o1', event_time: START, status: 'PLACED', cancels_order_id: null, customer_id: 7, user_session: null, country: null,
  currency: 'GBP', channel: null, campaign_id: null, source: 'it', lines: [{ line_number: 1, product_id: 'x1', description: null, category_code: null, quantity: -2, unit_price: '3.2500', seller_id: null }], ...over,
});

interface Output { readonly topic: string; readonly key: string; readonly value: Buffer; readonly headers: Record<string, string> }

async function readOutputs(run: string, topics: PipelineTopicNames, total: number): Promise<Output[]> {
  const names = [topics.bronzeEvents, topics.customerChanges, topics.products, topics.bridgeDlq];
  const out: Output[] = [];
  const consumer = kafka.consumer({ groupId: `${run}reader`, maxBytes: 32 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: names, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      out.push({ topic, key: message.key?.toString() ?? '', value: message.value ?? Buffer.alloc(0), headers });
      if (out.length >= total) done();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${out.length} of ${total} outputs`)), 180_000)))]);
    await new Promise((r) => setTimeout(r, 2000)); // anything beyond one output per input would show now
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return out;
}

/** The writer schema id registered for a topic's values (the subject's latest version), or undefined. */
async function registeredId(topic: string): Promise<number | undefined> {
  const res = await fetch(`${config.registry.url}/subjects/${encodeURIComponent(`${topic}-value`)}/versions/latest`);
  return res.ok ? ((await res.json()) as { id: number }).id : undefined;
}

interface Summary {
  readonly total: number; readonly bridged: number; readonly dead: number; readonly deadClasses: Map<string, number>; readonly eventTypes: Set<string>;
  /** Bridged orders; those with a userId; those whose userId is the user of some bridged click. */
  readonly orders: { readonly all: number; readonly withUser: number; readonly withClicks: number };
}

/**
 * Runs the bridge over the Avro bronze topics of `run` until every input has its one
 * output, and checks each output against what the test computes from its input.
 */
async function bridgeAndCheck(run: string): Promise<Summary> {
  const sources = sourcesOf(run);
  const pipeline = pipelineConfig({ prefix: run });
  const expected = new Map<string, { readonly expect: Expected; readonly headers: Record<string, string>; readonly raw: Buffer; readonly kind: GeneratedKind }>();
  for (const kind of Object.keys(sources) as GeneratedKind[]) {
    const spec = sources[kind];
    const id = await registeredId(spec.name);
    const messages = await readAll(kafka, spec.name);
    const spend = new Map<number, ReturnType<typeof spendTracker>>();
    const offsets = new Map<number, number>();
    for (const m of messages) {
      const offset = offsets.get(m.partition) ?? 0;
      offsets.set(m.partition, offset + 1);
      const v = id === undefined ? undefined : decode(spec.schema, id, m.value);
      let e: Expected;
      if (v === undefined) e = { kind: 'dead', errorClass: 'DECODE_ERROR' };
      else if (kind === 'sales') e = expectedSale(v);
      else if (kind === 'clickstream') e = expectedClick(v);
      else if (kind === 'customers') e = expectedProfile(v, offset);
      else if (kind === 'products') e = expectedProduct(v);
      else {
        if (!spend.has(m.partition)) spend.set(m.partition, spendTracker());
        e = spend.get(m.partition)!(v);
      }
      expected.set(`${spec.name}/${m.partition}/${offset}`, { expect: e, headers: m.headers, raw: m.value, kind });
    }
  }
  const total = expected.size;

  const stateDir = await mkdtemp(join(tmpdir(), 'bridge-it-'));
  stateDirs.push(stateDir);
  const builder = new StreamsBuilder();
  const bridge = await addBronzeBridge(builder, kafka, pipeline, run, { registryUrl: config.registry.url });
  const streams = new KafkaStreams(builder.build(), { applicationId: `${run}app`, bootstrapServers: config.kafka.brokers, processingGuarantee: 'exactly_once', httpEnabled: false, stateDir });
  running.push(streams);
  bridge.attach(streams);
  await streams.start();
  const outputs = await readOutputs(run, pipeline.topics, total);

  // Exactly one output per input, each the expected one.
  const target = { events: pipeline.topics.bronzeEvents, customerChanges: pipeline.topics.customerChanges, products: pipeline.topics.products };
  const seen = new Set<string>();
  const outcomes = { bridged: 0, dead: 0 };
  const deadClasses = new Map<string, number>();
  for (const o of outputs) {
    const origin = o.topic === pipeline.topics.bridgeDlq ? `${o.headers[DLQ_HEADERS.sourceTopic]}/${o.headers[DLQ_HEADERS.sourcePartition]}/${o.headers[DLQ_HEADERS.sourceOffset]}` : o.headers[LINEAGE_HEADERS.origin]!;
    const input = expected.get(origin);
    expect(input, `output of unknown origin ${origin}`).toBeDefined();
    expect(seen.has(origin), `two outputs for ${origin}`).toBe(false);
    seen.add(origin);
    for (const h of [LINEAGE_HEADERS.source, LINEAGE_HEADERS.producer, LINEAGE_HEADERS.ingestTime, LINEAGE_HEADERS.file, LINEAGE_HEADERS.line]) expect(o.headers[h]).toBe(input!.headers[h]);
    const e = input!.expect;
    if (e.kind === 'dead') {
      outcomes.dead++;
      deadClasses.set(`${input!.kind}:${e.errorClass}`, (deadClasses.get(`${input!.kind}:${e.errorClass}`) ?? 0) + 1);
      expect({ topic: o.topic, errorClass: o.headers[DLQ_HEADERS.errorClass], raw: o.value }).toEqual({ topic: pipeline.topics.bridgeDlq, errorClass: e.errorClass, raw: input!.raw });
      expect(o.headers[DLQ_HEADERS.errorMessage]!.length).toBeGreaterThan(10);
    } else {
      outcomes.bridged++;
      expect({ topic: o.topic, key: o.key, value: JSON.parse(o.value.toString()) }).toEqual({ topic: target[e.topic], key: e.key, value: e.value });
      expect(o.headers[LINEAGE_HEADERS.schemaId]).toBe(String(input!.raw.readUInt32BE(1)));
    }
  }
  expect(seen.size).toBe(total);
  expect(outcomes.bridged + outcomes.dead).toBe(total);

  // The metric counts the same: in = bridged + dead-lettered.
  const metric = await streams.metrics.registry.getSingleMetric('streamhouse_bronze_bridge_records_total')!.get();
  const byOutcome = { bridged: 0, 'dead-lettered': 0 };
  for (const v of metric.values) byOutcome[v.labels.outcome as 'bridged' | 'dead-lettered'] += v.value;
  expect(byOutcome).toEqual({ bridged: outcomes.bridged, 'dead-lettered': outcomes.dead });
  const events = outputs.filter((o) => o.topic === pipeline.topics.bronzeEvents).map((o) => JSON.parse(o.value.toString()) as { type: string; userId?: string; customerId?: string });
  const eventTypes = new Set(events.map((e) => e.type));
  const clickUsers = new Set(events.filter((e) => e.type === 'click').map((e) => e.userId));
  const bridgedOrders = events.filter((e) => e.type === 'order');
  const withUser = bridgedOrders.filter((e) => e.userId !== undefined);
  const orders = { all: bridgedOrders.length, withUser: withUser.length, withClicks: withUser.filter((e) => clickUsers.has(e.userId)).length };
  console.log(`bronze bridge it (${run}): ${total} in, ${outcomes.bridged} bridged, ${outcomes.dead} dead-lettered (${[...deadClasses].map(([k, n]) => `${k} ${n}`).join(', ')}); orders ${orders.all}, with a user id ${orders.withUser}, whose clicks were bridged ${orders.withClicks}`);
  return { total, ...outcomes, deadClasses, eventTypes, orders };
}

/** Creates the pipeline and Avro bronze topics of a run (retried: a loaded broker may not describe a new topic yet). */
async function createTopics(run: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  for (let attempt = 1; ; attempt++) {
    const failed = await ensurePipelineTopics(admin, pipelineConfig({ prefix: run }).topics)
      .then(() => ensureTopics(admin, Object.values(sourcesOf(run))))
      .then(() => undefined, (err: Error) => err);
    if (failed === undefined) break;
    if (attempt >= 5) throw failed;
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
  await admin.disconnect();
}

describe('bronze bridge on Kafka and the schema registry', () => {
  it('bridges every decodable, mappable record of `streamhouse produce` with the right content and dead-letters the rest; in = bridged + dead-lettered', async () => {
    const run = `${prefix}produce.`;
    const sources = sourcesOf(run);
    await createTopics(run);
    const serializer = new AvroRegistrySerializer(config.registry.url);
    const stats = await runProduceJob({
      generator: { seed: 7, startTime: START, rate: 2, products: 40, kinds: ['clickstream', 'sales', 'customers', 'campaigns', 'products'], faults: { malformedFraction: 0.04, duplicateFraction: 0.02 } },
      topics: sources, kafka, serializer, worker: false, clock: systemClock, speed: Infinity, count: 3000, producerId: 'bridge-it',
    });
    expect(stats.acked).toBe(3000);
    const producer = idempotentProducer(kafka);
    await producer.connect();
    const sink = new RecordSink(producer);
    const lineage = { ...serializer.headers(sources.sales), [LINEAGE_HEADERS.source]: 'it', [LINEAGE_HEADERS.producer]: 'bridge-it@test', [LINEAGE_HEADERS.ingestTime]: String(START) };
    const hand = [
      serializer.serialize(sources.sales, order({ event_id: 'hand-r', status: 'RETURNED', customer_id: null })),
      serializer.serialize(sources.sales, order({ event_id: 'hand-a', status: 'ADJUSTMENT' })),
      Buffer.from(JSON.stringify(order({ event_id: 'hand-j' }))),
    ];
    for (const value of hand) await sink.write(sources.sales.name, { key: 'hand-o1', value, headers: lineage });
    await sink.flush();
    await producer.disconnect();

    const summary = await bridgeAndCheck(run);
    expect(summary.total).toBe(3003);
    // The faults and the hand-made records reached every branch.
    expect(summary.deadClasses.get('sales:NO_CONTRACT')).toBe(1);
    expect((summary.deadClasses.get('clickstream:DECODE_ERROR') ?? 0) + (summary.deadClasses.get('sales:DECODE_ERROR') ?? 0)).toBeGreaterThan(10);
    expect([...summary.eventTypes].sort()).toEqual(['cancellation', 'click', 'order', 'spend']);
    // Every simulated order names the user who placed it (not its customer id), and that user's clicks are there to link.
    expect(summary.orders.all).toBeGreaterThan(10);
    expect(summary.orders.withUser).toBe(summary.orders.all);
    expect(summary.orders.withClicks / summary.orders.withUser).toBeGreaterThan(0.9);
  }, 300_000);

  it('bridges what `streamhouse ingest` writes: UCI orders, cancellations and bad-debt adjustments, REES46 clicks', async () => {
    const run = `${prefix}ingest.`;
    await createTopics(run);
    const dir = await mkdtemp(join(tmpdir(), 'bridge-it-uci-'));
    stateDirs.push(dir);
    // The first 3,000 rows of UCI Online Retail (orders and C… cancellations) and its three A… adjustments.
    const rows = gunzipSync(await readFile(UCI_ONLINE_RETAIL)).toString('utf8').split('\n');
    await writeFile(join(dir, 'uci-sample.csv'), [...rows.slice(0, 3001), ...rows.filter((r) => r.startsWith('"A5'))].join('\n') + '\n');
    const ingest = (dataset: string, location: string) =>
      runIngestJob({ dataset, locations: [location], config, roots: { local: [dir, SHARED_DATA], s3: [] }, stateDir: join(dir, 'state'), clock: systemClock, topicPrefix: run, valueFormat: 'avro' });
    await ingest('uci-retail', join(dir, 'uci-sample.csv'));
    await ingest('rees46', REES46_SAMPLE);

    const summary = await bridgeAndCheck(run);
    expect(summary.deadClasses.get('sales:NO_CONTRACT')).toBe(3);
    expect([...summary.eventTypes].sort()).toEqual(['cancellation', 'click', 'order']);
    expect(summary.orders.withUser).toBe(0); // UCI has no clickstream
  }, 300_000);
});
