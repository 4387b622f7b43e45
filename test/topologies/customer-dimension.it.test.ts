import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../deploy/config.ts';
import { startMedallionApp, type MedallionApp } from '../../topologies/app/medallion-app.ts';
import { deletePipelineTopics, ensurePipelineTopics } from '../../topologies/app/pipeline-topics-admin.ts';
import { pipelineTopics } from '../../topologies/pipeline-topics.ts';
import { unique, waitFor } from '../connectors/iceberg/kafka-support.ts';

/**
 * The re-join of orders on the real services (exactly-once): an order is enriched with the
 * customer version and the catalog; the application stops and a new instance starts on an
 * empty state folder, so the histories and the kept orders come back from their changelogs;
 * then a back-dated change covering the order re-publishes it with the new version,
 * revision 1 and the correction header, its catalog fields unchanged.
 */
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const kafka = new Kafka({ clientId: unique('scd2-rejoin'), brokers: loadConfig().kafka.brokers, logLevel: logLevel.NOTHING });

type Enriched = { order: { lines: { productName: string | null; catalogCategory: string | null }[] }; revision: number; customer: { version: number; attributes: { city: string } } | null };

describe('re-join of orders after a back-dated customer change (KafkaStreams, restart in between)', () => {
  const id = unique('scd2-rejoin');
  const topics = pipelineTopics(`${id}.`);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const published: { key: string; value: Enriched; correction: string | undefined }[] = [];
  let versions = 0;
  const stateDirs: string[] = [];
  let consumer: Consumer | undefined;
  let app: MedallionApp | undefined;

  const start = async () => {
    const stateDir = await mkdtemp(join(tmpdir(), `${id}-`));
    stateDirs.push(stateDir);
    return startMedallionApp({ applicationId: id, brokers: loadConfig().kafka.brokers, pipeline: { prefix: `${id}.` }, partitions: 2, httpEnabled: false, stateDir });
  };
  const send = (topic: string, key: string | null, value: unknown) => producer.send({ topic, messages: [{ key, value: JSON.stringify(value) }] });

  beforeAll(async () => {
    await admin.connect();
    await ensurePipelineTopics(admin, topics, 2);
    await producer.connect();
    // The catalog is a global table: a product sent before the start is in every instance's
    // store before any task runs (one sent later reaches it at the global reader's own pace).
    await send(topics.products, 'p1', { productId: 'p1', name: 'Kite', category: 'toys' });
    app = await start();
    consumer = kafka.consumer({ groupId: unique('scd2-rejoin-reader'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.ordersEnriched, topics.customerDimension], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === topics.customerDimension) return void versions++;
        published.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) as Enriched, correction: message.headers?.['streamhouse.correction']?.toString() });
      },
    });
  }, 240_000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await deletePipelineTopics(admin, topics, id).catch(() => undefined);
    await admin.deleteGroups([id]).catch(() => undefined);
    await admin.disconnect();
    for (const dir of stateDirs) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('re-publishes the order with the back-dated version after a restart from the changelogs', async () => {
    await send(topics.customerChanges, 'c1', { customerId: 'c1', effectiveFrom: T0, attributes: { name: 'Ada', city: 'Berlin' } });
    // The change is processed (its version published) before the order is sent: they come from different topics.
    await waitFor(() => versions >= 1, 120_000, 'the first version');
    const order = { type: 'order', eventId: 'e1', orderId: 'ord1', customerId: 'c1', time: T0 + 2 * DAY, channel: 'web', country: 'DE', currency: 'EUR', lines: [{ productId: 'p1', category: 'sold-as', quantity: 1, unitPrice: '3.00' }] };
    await send(topics.bronzeEvents, 'b1', order);
    await waitFor(() => published.length >= 1, 120_000, 'the enriched order');
    expect(published.map((p) => [p.key, p.value.revision, p.value.customer?.attributes.city, p.value.order.lines[0]!.productName, p.correction])).toEqual([['ord1', 0, 'Berlin', 'Kite', undefined]]);

    await app!.close();
    app = await start(); // an empty state folder: everything is restored from the changelogs
    await send(topics.products, 'p1', { productId: 'p1', name: 'Kite (renamed)', category: 'garden' });
    await send(topics.customerChanges, 'c1', { customerId: 'c1', effectiveFrom: T0 + DAY, attributes: { name: 'Ada', city: 'Rome' } });
    await waitFor(() => published.length >= 2, 120_000, 'the corrected order');
    const corrected = published[1]!;
    // Berlin [T0, T0 + 1 day), Rome from T0 + 1 day: the order (T0 + 2 days) is Rome's, version 2.
    expect([corrected.key, corrected.value.revision, corrected.value.customer?.version, corrected.value.customer?.attributes.city, corrected.correction]).toEqual(['ord1', 1, 2, 'Rome', 'true']);
    expect(corrected.value.order.lines[0]).toMatchObject({ productName: 'Kite', catalogCategory: 'toys' });
  }, 300_000);
});
