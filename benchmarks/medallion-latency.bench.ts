/**
 * End-to-end latency of the medallion pipeline on the local services: live events are
 * produced to bronze at a fixed rate (kafkajs stamps each record with its send time); the
 * application (exactly-once, one instance in this process) runs every layer; a
 * read_committed consumer of a gold topic measures arrival time − record timestamp (gold
 * records keep the bronze record's timestamp). Reports p50/p99 over the steady part of the
 * run (the first 10 s are warm-up), for gold sales performance and customer features.
 *
 *   npx tsx benchmarks/medallion-latency.bench.ts [--rate 5000] [--seconds 40] [--partitions 2]
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../deploy/config.ts';
import { liveBatch } from '../topologies/app/live-traffic.ts';
import { startMedallionApp } from '../topologies/app/medallion-app.ts';
import { deletePipelineTopics, ensurePipelineTopics } from '../topologies/app/pipeline-topics-admin.ts';
import { pipelineTopics } from '../topologies/pipeline-topics.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const rate = arg('--rate', 5000);
const seconds = arg('--seconds', 40);
const partitions = arg('--partitions', 2);
const brokers = loadConfig().kafka.brokers;
const id = `bench-medallion-${randomBytes(4).toString('hex')}`;
const topics = pipelineTopics(`${id}.`);
const kafka = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await ensurePipelineTopics(admin, topics, partitions);
const app = await startMedallionApp({ applicationId: id, brokers, pipeline: { prefix: `${id}.` }, partitions, httpEnabled: false, stateDir: join(tmpdir(), id) });

const start = Date.now();
const latencies = new Map<string, number[]>([[topics.salesPerformance, []], [topics.features, []]]);
const consumer = kafka.consumer({ groupId: `${id}-reader`, readUncommitted: false, maxWaitTimeInMs: 50 });
await consumer.connect();
await consumer.subscribe({ topics: [...latencies.keys()], fromBeginning: true });
await consumer.run({
  eachBatch: async ({ batch }) => {
    const now = Date.now();
    for (const m of batch.messages) if (Number(m.timestamp) >= start + 10_000) latencies.get(batch.topic)!.push(now - Number(m.timestamp));
  },
});

const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
let sent = 0;
for (let tick = 0; Date.now() < start + seconds * 1000; tick++) {
  const due = start + tick * 100;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  const events = liveBatch(id, tick, rate / 10, Date.now());
  await producer.send({ topic: topics.bronzeEvents, messages: events.map((e) => ({ key: null, value: JSON.stringify(e) })) });
  sent += events.length;
}
const produceSeconds = (Date.now() - start) / 1000;
await new Promise((r) => setTimeout(r, 15_000));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
for (const [topic, xs] of latencies) console.log(`${topic.slice(id.length + 1)}: ${xs.length} records, p50 ${pct(xs, 50)} ms, p99 ${pct(xs, 99)} ms`);
console.log(`produced ${sent} events in ${produceSeconds.toFixed(1)} s (${Math.round(sent / produceSeconds)} events/s offered)`);
await producer.disconnect();
await consumer.disconnect();
await app.close();
await deletePipelineTopics(admin, topics, id);
await admin.deleteGroups([id, `${id}-reader`]).catch(() => undefined);
await admin.disconnect();
