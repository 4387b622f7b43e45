/**
 * The raw speed of the two clients against the local services, as a floor for everything
 * built on them:
 *
 *   produce              100,000 records of 100 bytes to 6 partitions, sends of 10,000 (acks=all)
 *   produce-idempotent   the same with the idempotent producer
 *   produce-transactional  the same, one transaction per send of 10,000
 *   consume              the 100,000 records read back with eachBatch by one consumer
 *   s3-put / s3-get      64 objects of 1 MiB, 4 at a time
 *
 * Each runs RUNS times on a fresh topic or prefix; the median is reported. Run:
 * npx tsx benchmarks/foundation.bench.ts (add --write to replace the "Foundation" section
 * of benchmarks/RESULTS.md). Needs the local services (npm run services:up).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel, Partitioners, type Producer, type ProducerConfig } from 'kafkajs';
import { loadConfig } from '../deploy/config.ts';

const RECORDS = 100_000;
const PARTITIONS = 6;
const SEND = 10_000;
const OBJECTS = 64;
const RUNS = 3;

const config = loadConfig();
const kafka = new Kafka({ clientId: 'bench-foundation', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const s3 = new S3Client({
  endpoint: config.s3.endpoint,
  region: config.s3.region,
  forcePathStyle: true,
  credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
});
const value = 'x'.repeat(100);
const suffix = () => randomBytes(4).toString('hex');

async function produce(topic: string, options: ProducerConfig, transactional: boolean): Promise<number> {
  const producer: Producer = kafka.producer({ ...options, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const t0 = performance.now();
  for (let start = 0; start < RECORDS; start += SEND) {
    const messages = Array.from({ length: SEND }, (_, j) => ({ partition: (start + j) % PARTITIONS, key: `k${start + j}`, value }));
    if (transactional) {
      const tx = await producer.transaction();
      await tx.send({ topic, messages });
      await tx.commit();
    } else {
      await producer.send({ topic, messages });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await producer.disconnect();
  return RECORDS / seconds;
}

async function consume(topic: string): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-foundation-${suffix()}`, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let t0 = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (t0 === 0) t0 = performance.now();
        seen += batch.messages.length;
        if (seen >= RECORDS) resolve();
      },
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  await consumer.disconnect();
  return RECORDS / seconds;
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function s3Round(): Promise<{ put: number; get: number }> {
  const body = randomBytes(1024 * 1024);
  const keys = Array.from({ length: OBJECTS }, (_, i) => `bench-foundation/${suffix()}/${i}.bin`);
  let t0 = performance.now();
  await pool(keys, 4, async (Key) => void (await s3.send(new PutObjectCommand({ Bucket: config.s3.bucket, Key, Body: body }))));
  const put = OBJECTS / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  await pool(keys, 4, async (Key) => {
    const res = await s3.send(new GetObjectCommand({ Bucket: config.s3.bucket, Key }));
    await res.Body!.transformToByteArray();
  });
  const get = OBJECTS / ((performance.now() - t0) / 1000);
  await s3.send(new DeleteObjectsCommand({ Bucket: config.s3.bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
  return { put, get };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, number[]> = {};
const add = (name: string, v: number) => (results[name] ??= []).push(v);

await admin.connect();
for (let run = 0; run < RUNS; run++) {
  const topics = ['plain', 'idem', 'tx'].map((k) => `bench-foundation-${k}-${suffix()}`);
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })) });
  add('produce', await produce(topics[0]!, {}, false));
  add('produce-idempotent', await produce(topics[1]!, { idempotent: true, maxInFlightRequests: 1 }, false));
  add('produce-transactional', await produce(topics[2]!, { transactionalId: `bench-${suffix()}`, idempotent: true, maxInFlightRequests: 1 }, true));
  add('consume', await consume(topics[0]!));
  await admin.deleteTopics({ topics });
  const { put, get } = await s3Round();
  add('s3-put', put);
  add('s3-get', get);
  console.log(`run ${run + 1}/${RUNS} done`);
}
await admin.disconnect();
s3.destroy();

const unit = (name: string) => (name.startsWith('s3') ? 'MiB/s' : 'records/s');
const rows = Object.entries(results).map(([name, xs]) => `| ${name} | ${Math.round(median(xs)).toLocaleString('en-US')} ${unit(name)} | ${xs.map((x) => Math.round(x).toLocaleString('en-US')).join(', ')} |`);
const section = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, shared with other work; Node ${process.version}; kafkajs 2.2.4 against Kafka 4.3.1 (KRaft, one node), @aws-sdk/client-s3 against SeaweedFS; ${new Date().toISOString().slice(0, 10)}.`,
  `Benchmark: \`npx tsx benchmarks/foundation.bench.ts --write\`. ${RECORDS.toLocaleString('en-US')} records of 100 bytes over ${PARTITIONS} partitions, sends of ${SEND.toLocaleString('en-US')}; ${OBJECTS} objects of 1 MiB, 4 at a time; median of ${RUNS} runs.`,
  '',
  '| variant | median | runs |',
  '|---|---|---|',
  ...rows,
].join('\n');
console.log(section);
if (process.argv.includes('--write')) await writeSection('Foundation (kafkajs and S3 clients against the local services)', section);

/** Replaces the body of `## <title>` in RESULTS.md (appending the section if missing), leaving every other section alone. */
async function writeSection(title: string, body: string): Promise<void> {
  const file = new URL('./RESULTS.md', import.meta.url);
  let text = await readFile(file, 'utf8');
  if (!text.includes(`## ${title}\n`)) text = `${text.trimEnd()}\n\n## ${title}\n`;
  const bodyStart = text.indexOf(`## ${title}\n`) + `## ${title}\n`.length;
  const next = text.indexOf('\n## ', bodyStart);
  const end = next < 0 ? text.length : next + 1;
  await writeFile(file, `${text.slice(0, bodyStart)}\n${body}\n\n${text.slice(end)}`.trimEnd() + '\n');
}
