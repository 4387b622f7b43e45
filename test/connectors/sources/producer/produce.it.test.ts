import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordGenerator, type GeneratorOptions } from '../../../../connectors/sources/generator/record-generator.ts';
import { AvroRegistrySerializer } from '../../../../connectors/sources/serde/avro-registry-serializer.ts';
import type { EventSerializer } from '../../../../connectors/sources/serde/event-serializer.ts';
import { runProduceJob } from '../../../../connectors/sources/producer/produce-job.ts';
import { JsonEventSerializer } from '../../../../connectors/sources/serde/json-serializer.ts';
import { schemaViolation } from '../../../../connectors/sources/serde/avro-types.ts';
import { loadConfig } from '../../../../deploy/config.ts';
import { systemClock } from '../../../../runtime/time/clock.ts';
import { startRegistryServer } from '../../../../schemas/registry/index.ts';
import { LINEAGE_HEADERS, Topics, renamed, type TopicSpec } from '../../../../topologies/topics.ts';
import { countMessages, deleteTopicsWithPrefix, readAll, testKafka, uniquePrefix, type ReadMessage } from '../support/kafka.ts';

const prefix = uniquePrefix('produce');
const kafka = testKafka();
const HOUR = 3_600_000;
afterAll(() => deleteTopicsWithPrefix(kafka, prefix));

const topicsFor = (run: string) => ({
  clickstream: renamed(Topics.bronze.clickstream, `${prefix}${run}.${Topics.bronze.clickstream.name}`),
  sales: renamed(Topics.bronze.sales, `${prefix}${run}.${Topics.bronze.sales.name}`),
});

async function produce(run: string, options: GeneratorOptions, count: number, serializer: EventSerializer = new JsonEventSerializer()) {
  const topics = topicsFor(run);
  const stats = await runProduceJob({
    generator: options, topics, kafka, serializer, worker: false, clock: systemClock, speed: Infinity, count, producerId: 'it',
  });
  return { stats, topics };
}

const START = Date.UTC(2026, 5, 1, 12);
const faults = { jitterMs: 5_000, lateFraction: 0.04, beyondLatenessShare: 0.25, duplicateFraction: 0.03, malformedFraction: 0.02 };

describe('streamhouse produce into Kafka', () => {
  it('lands the configured fractions of late, beyond-48h, duplicate and malformed records (measured from the topic)', async () => {
    const n = 30_000;
    const { stats, topics } = await produce('faults', { seed: 11, startTime: START, rate: 400, kinds: ['clickstream'], faults }, n);
    expect(stats).toMatchObject({ sent: n, acked: n, stoppedBy: 'count' });
    const messages = await readAll(kafka, topics.clickstream.name);
    expect(messages.length).toBe(n);
    const ids = new Set<string>();
    const maxSeen = new Map<number, number>();
    let malformed = 0, duplicates = 0, late = 0, beyond = 0, clean = 0;
    for (const m of messages) {
      expect(m.headers[LINEAGE_HEADERS.source]).toBe('generator');
      let v: { event_id: string; event_time: number; user_id: number } | undefined;
      try {
        v = JSON.parse(m.value.toString());
      } catch {
        v = undefined;
      }
      if (v === undefined || schemaViolation('clickstream-event', v) !== null) {
        malformed++;
        continue;
      }
      expect(m.key).toBe(String(v.user_id));
      if (ids.has(v.event_id)) {
        duplicates++;
        continue;
      }
      ids.add(v.event_id);
      clean++;
      // Within a partition records keep their send order, so the running maximum of event
      // time stands for "now" when the record arrived.
      const now = Math.max(maxSeen.get(m.partition) ?? 0, v.event_time);
      maxSeen.set(m.partition, now);
      const lag = now - v.event_time;
      if (lag > 10 * 60_000) late++;
      if (lag > 48 * HOUR) beyond++;
    }
    const near = (actual: number, expected: number, rel = 0.2) => {
      expect(actual).toBeGreaterThan(expected * (1 - rel));
      expect(actual).toBeLessThan(expected * (1 + rel));
    };
    near(malformed / n, faults.malformedFraction);
    near(duplicates / clean, faults.duplicateFraction);
    near(late / clean, faults.lateFraction);
    near(beyond / late, faults.beyondLatenessShare, 0.3);
  });

  it('is deterministic: two runs with one seed write the same values to the same partitions', async () => {
    const options: GeneratorOptions = { seed: 77, startTime: START, rate: 8, kinds: ['clickstream', 'sales'], faults };
    const a = await produce('det-a', options, 6000);
    const b = await produce('det-b', options, 6000);
    const byPartition = (ms: ReadMessage[]) => {
      const out: Record<number, string[]> = {};
      for (const m of ms) (out[m.partition] ??= []).push(`${m.key}|${m.value.toString('base64')}`);
      return out;
    };
    for (const kind of ['clickstream', 'sales'] as const) {
      const left = byPartition(await readAll(kafka, a.topics[kind].name));
      const right = byPartition(await readAll(kafka, b.topics[kind].name));
      expect(Object.keys(left).length).toBeGreaterThan(1);
      expect(right).toEqual(left);
    }
  });

  it('the CLI with --worker (generation in a worker thread) writes exactly what the in-thread generator writes', async () => {
    const options: GeneratorOptions = { seed: 9, startTime: START, rate: 8, kinds: ['clickstream', 'sales'], faults };
    const inline = await produce('inline', options, 5000);
    const cli = spawn('node', ['bin/streamhouse.mjs', 'produce', 'clickstream,sales', '--seed', '9', '--start', new Date(START).toISOString(), '--rate', '8',
      '--speed', 'max', '--count', '5000', '--jitter', '5s', '--late', String(faults.lateFraction), '--beyond-48h', String(faults.beyondLatenessShare),
      '--duplicates', String(faults.duplicateFraction), '--malformed', String(faults.malformedFraction), '--worker', '--topic-prefix', `${prefix}worker.`]);
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    expect(await new Promise((resolve) => cli.on('exit', resolve)), out).toBe(0);
    for (const kind of ['clickstream', 'sales'] as const) {
      // Order within a partition is kept; sort is stable, so sorting by partition compares per-partition sequences.
      const lines = (ms: ReadMessage[]) => ms.sort((x, y) => x.partition - y.partition).map((m) => `${m.partition}|${m.key}|${m.value.toString('base64')}`);
      const a = lines(await readAll(kafka, inline.topics[kind].name));
      const b = lines(await readAll(kafka, `${prefix}worker.${Topics.bronze[kind].name}`));
      expect(b.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    }
  });

  it('writes Avro in the Confluent wire format through a registry; malformed records fail to decode', async () => {
    const registry = await startRegistryServer({ brokers: loadConfig().kafka.brokers, topic: `${prefix}_schemas`, port: 0 });
    try {
      const serializer = new AvroRegistrySerializer(registry.url);
      const options: GeneratorOptions = { seed: 5, startTime: START, rate: 5, kinds: ['clickstream', 'sales'], faults: { malformedFraction: 0.05 } };
      const n = 4000;
      const { topics } = await produce('avro', options, n, serializer);
      const expected = new Map(new RecordGenerator(options).take(n).filter((r) => !r.malformed).map((r) => [(r.record.value as { event_id: string }).event_id, r.record.value]));
      let decoded = 0, failed = 0;
      for (const kind of ['clickstream', 'sales'] as const) {
        const messages = await readAll(kafka, topics[kind].name);
        expect(messages.length).toBeGreaterThan(0);
        for (const m of messages) {
          let value: { event_id: string } | undefined;
          try {
            value = await serializer.registry.decode(m.value);
          } catch {
            failed++;
            continue;
          }
          expect(value).toEqual(expected.get(value!.event_id));
          expect(m.headers[LINEAGE_HEADERS.schemaId]).toBe(String(m.value.readUInt32BE(1)));
          decoded++;
        }
      }
      expect(decoded).toBe(expected.size);
      expect(failed).toBe(n - expected.size);
      expect(failed).toBeGreaterThan(0);
    } finally {
      await registry.close();
    }
  });

  it('the CLI stops cleanly on SIGINT, flushing what it generated', async () => {
    const child = spawn('node', ['bin/streamhouse.mjs', 'produce', 'all', '--rate', '300', '--topic-prefix', `${prefix}cli.`, '--seed', '3'], { cwd: process.cwd() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 60_000);
      child.stdout.on('data', () => {
        if (out.includes('producing')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Ctrl-C once the whole catalog is in Kafka (with the first batch the CLI sends) and
    // events are flowing, not after a fixed time: a loaded machine may still be creating the
    // topics, and a stop before the catalog is generated leaves it short of 2000 products.
    const b = Topics.bronze;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const inTopic = async (t: TopicSpec) => ((await admin.listTopics()).includes(`${prefix}cli.${t.name}`) ? countMessages(admin, `${prefix}cli.${t.name}`) : 0);
      const deadline = Date.now() + 120_000;
      while (!((await inTopic(b.products)) >= 2000 && (await inTopic(b.clickstream)) > 0)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the catalog and the first events did not arrive:\n${out}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await admin.disconnect();
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const done = /done \(signal\): (\d+) sent, (\d+) acked/.exec(out);
    expect(done, out).not.toBeNull();
    expect(done![1]).toBe(done![2]);
    // `all`: the catalog, profiles and campaign spend come with the events.
    let total = 0;
    for (const t of [b.clickstream, b.sales, b.products, b.customers, b.campaigns]) {
      const n = (await readAll(kafka, `${prefix}cli.${t.name}`)).length;
      if (t === b.products) expect(n).toBe(2000);
      total += n;
    }
    expect(total).toBe(Number(done![1]));
  });
});
