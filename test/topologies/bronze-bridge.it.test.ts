import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GeneratedKind } from '../../connectors/sources/generator/record-generator.ts';
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
import { LINEAGE_HEADERS, Topics, renamed, type TopicSpec } from '../../topologies/topics.ts';
import { deleteTopicsWithPrefix, readAll, testKafka, uniquePrefix } from '../connectors/sources/support/kafka.ts';
import { decode, expectedClick, expectedProduct, expectedProfile, expectedSale, spendTracker, type Expected } from './support/bronze-expectations.ts';

/**
 * The bronze bridge on the real services: the `streamhouse produce` simulator writes every
 * Avro bronze topic through the schema registry (with malformed payloads mixed in), and a
 * few hand-made records add what it never makes (a RETURNED guest order, an ADJUSTMENT,
 * JSON without the magic byte). The bridge runs until every input has its one output;
 * each output is found by the input it names (sh-origin, or the DLQ source headers) and
 * compared with what the test computes from the input on its own.
 */
const config = loadConfig();
const prefix = uniquePrefix('bridge');
const applicationId = `${prefix}app`;
const kafka = testKafka();
const pipeline = pipelineConfig({ prefix });
const b = Topics.bronze;
const sources: Record<GeneratedKind, TopicSpec> = {
  clickstream: renamed(b.clickstream, prefix + b.clickstream.name), sales: renamed(b.sales, prefix + b.sales.name),
  customers: renamed(b.customers, prefix + b.customers.name), campaigns: renamed(b.campaigns, prefix + b.campaigns.name), products: renamed(b.products, prefix + b.products.name),
};
let streams: KafkaStreams | undefined;
let stateDir: string | undefined;
afterAll(async () => {
  await streams?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  await deleteTopicsWithPrefix(kafka, prefix);
}, 60_000);

const START = Date.UTC(2026, 5, 1, 9);
const order = (over: object) => ({
  event_id: 'hand-1', order_id: 'hand-o1', event_time: START, status: 'PLACED', cancels_order_id: null, customer_id: 7, user_session: null, country: null,
  currency: 'GBP', channel: null, campaign_id: null, source: 'it', lines: [{ line_number: 1, product_id: 'x1', description: null, category_code: null, quantity: -2, unit_price: '3.2500', seller_id: null }], ...over,
});

interface Output { readonly topic: string; readonly key: string; readonly value: Buffer; readonly headers: Record<string, string> }

async function readOutputs(total: number): Promise<Output[]> {
  const names = [pipeline.topics.bronzeEvents, pipeline.topics.customerChanges, pipeline.topics.products, pipeline.topics.bridgeDlq];
  const out: Output[] = [];
  const consumer = kafka.consumer({ groupId: `${prefix}reader`, maxBytes: 32 << 20 });
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

describe('bronze bridge on Kafka and the schema registry', () => {
  it('bridges every decodable, mappable Avro bronze record with the right content and dead-letters the rest; in = bridged + dead-lettered', async () => {
    const admin = kafka.admin();
    await admin.connect();
    // A loaded broker may not describe a topic it just created yet: the creation is idempotent, so try again.
    for (let attempt = 1; ; attempt++) {
      const failed = await ensurePipelineTopics(admin, pipeline.topics)
        .then(() => ensureTopics(admin, Object.values(sources)))
        .then(() => undefined, (err: Error) => err);
      if (failed === undefined) break;
      if (attempt >= 5) throw failed;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
    await admin.disconnect();

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

    // The inputs as they are in Kafka, and what each should become.
    const ids = serializer.schemaIds();
    const expected = new Map<string, { readonly expect: Expected; readonly headers: Record<string, string>; readonly raw: Buffer; readonly kind: GeneratedKind }>();
    for (const kind of Object.keys(sources) as GeneratedKind[]) {
      const spec = sources[kind];
      const messages = await readAll(kafka, spec.name);
      const spend = new Map<number, ReturnType<typeof spendTracker>>();
      const offsets = new Map<number, number>();
      for (const m of messages) {
        const offset = offsets.get(m.partition) ?? 0;
        offsets.set(m.partition, offset + 1);
        const v = decode(spec.schema, ids[spec.name]!, m.value);
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
    expect(total).toBe(3003);

    stateDir = await mkdtemp(join(tmpdir(), 'bridge-it-'));
    const builder = new StreamsBuilder();
    const bridge = await addBronzeBridge(builder, kafka, pipeline, prefix, { registryUrl: config.registry.url });
    streams = new KafkaStreams(builder.build(), { applicationId, bootstrapServers: config.kafka.brokers, processingGuarantee: 'exactly_once', httpEnabled: false, stateDir });
    bridge.attach(streams);
    await streams.start();
    const outputs = await readOutputs(total);

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
      for (const h of [LINEAGE_HEADERS.source, LINEAGE_HEADERS.producer, LINEAGE_HEADERS.ingestTime]) expect(o.headers[h]).toBe(input!.headers[h]);
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
    // The faults and the hand-made records reached every branch.
    expect(deadClasses.get('sales:NO_CONTRACT')).toBe(1);
    expect((deadClasses.get('clickstream:DECODE_ERROR') ?? 0) + (deadClasses.get('sales:DECODE_ERROR') ?? 0)).toBeGreaterThan(10);
    const kinds = new Set(outputs.filter((o) => o.topic === pipeline.topics.bronzeEvents).map((o) => (JSON.parse(o.value.toString()) as { type: string }).type));
    expect([...kinds].sort()).toEqual(['cancellation', 'click', 'order', 'spend']);

    // The metric counts the same: per input topic, in = bridged + dead-lettered.
    const metric = await streams.metrics.registry.getSingleMetric('streamhouse_bronze_bridge_records_total')!.get();
    const byOutcome = { bridged: 0, 'dead-lettered': 0 };
    for (const v of metric.values) byOutcome[v.labels.outcome as 'bridged' | 'dead-lettered'] += v.value;
    expect(byOutcome).toEqual({ bridged: outcomes.bridged, 'dead-lettered': outcomes.dead });
    console.log(`bronze bridge it: ${total} in, ${outcomes.bridged} bridged, ${outcomes.dead} dead-lettered (${[...deadClasses].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  }, 300_000);
});
