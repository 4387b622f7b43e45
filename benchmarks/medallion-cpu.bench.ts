/**
 * CPU cost of the medallion topology without a broker: live events (the same generator as
 * `npm start` and medallion-latency.bench.ts) piped through the TopologyTestDriver, which
 * runs the very StreamTasks KafkaStreams runs, one per (subtopology, partition), with
 * persistent cached stores. Caches are written down and stores flushed once per simulated
 * commit interval (`--commit-every` events, as KafkaStreams does every commit interval), and
 * the wall clock advances with it so the punctuators fire. Reports events/s (bronze events
 * in, everything they cause downstream processed): the CPU ceiling of one process; and the
 * records written to Kafka per bronze event (all topics but the input).
 *
 *   npx tsx benchmarks/medallion-cpu.bench.ts [--events 100000] [--partitions 2] [--commit-every 500] [--runs 3] [--per-topic] [--traffic seeded|simulator]
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof benchmarks/medallion-cpu.bench.ts --runs 1
 */
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../runtime/index.ts';
import { liveBatch, simulatorRates } from '../topologies/app/live-traffic.ts';
import { buildMedallion } from '../topologies/medallion.ts';
import { pipelineConfig } from '../topologies/pipeline-config.ts';
import { SimulatorEvents } from './simulator-events.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const events = arg('--events', 100_000);
const partitions = arg('--partitions', 2);
const commitEvery = arg('--commit-every', 500);
const runs = arg('--runs', 3);
const perTopic = process.argv.includes('--per-topic');
/** seeded: the oracle's generator (`liveBatch`, about 30 % orders); simulator: `npm start`'s funnel (simulator-events.ts). */
const traffic = process.argv.includes('--traffic') ? process.argv[process.argv.indexOf('--traffic') + 1] : 'seeded';
if (traffic !== 'seeded' && traffic !== 'simulator') throw new Error(`--traffic seeded|simulator, got ${traffic}`);

interface Batch {
  readonly events: Buffer[];
  readonly products: [string, Buffer][];
  readonly customerChanges: [string, Buffer][];
}
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

/**
 * The input up front (the generator and JSON.stringify are the producer's cost, not the
 * pipeline's): the reference data to load before the clock starts, then one batch per commit.
 */
function input(start: number): { reference: Batch; batches: Batch[] } {
  const batches: Batch[] = [];
  const simulator = traffic === 'simulator' ? new SimulatorEvents(1, start) : undefined;
  const r = simulator?.reference;
  const reference: Batch = { events: [], products: (r?.products ?? []).map(([k, v]) => [k, json(v)]), customerChanges: (r?.customerChanges ?? []).map(([k, v]) => [k, json(v)]) };
  for (let b = 0; b * commitEvery < events; b++) {
    const n = Math.min(commitEvery, events - b * commitEvery);
    const now = start + b * 100;
    if (simulator === undefined) batches.push({ events: liveBatch('cpu', b, n, now).map(json), products: [], customerChanges: [] });
    else {
      const s = simulator.next(n, now);
      batches.push({ events: s.events.map(json), products: s.products.map(([k, v]) => [k, json(v)]), customerChanges: s.customerChanges.map(([k, v]) => [k, json(v)]) });
    }
  }
  if (simulator !== undefined) console.log(`simulator mix: ${JSON.stringify(simulator.mix)}; loaded first: ${reference.products.length} products, ${reference.customerChanges.length} customer changes`);
  return { reference, batches };
}

async function run(): Promise<{ rate: number; cpuRate: number; records: number; dqRecords: number; segments: number[] }> {
  const config = pipelineConfig({ prefix: 'cpu.', ...(traffic === 'simulator' ? { rates: simulatorRates() } : {}) });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  const start = Date.UTC(2026, 0, 5, 8);
  const driver = await TopologyTestDriver.create(builder.build(), { partitions, applicationId: 'medallion-cpu', commitEachRecord: false, initialWallClockTimeMs: start });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  const products = driver.createInputTopic(config.topics.products, Serdes.String(), Serdes.Bytes());
  const customers = driver.createInputTopic(config.topics.customerChanges, Serdes.String(), Serdes.Bytes());
  const { reference, batches } = input(start);
  const headers = { 'sh-source': 'bench' };
  const pipeReference = async (batch: Batch, now: number) => {
    for (const [key, value] of batch.products) await products.pipeInput(key, value, now, headers);
    for (const [key, value] of batch.customerChanges) await customers.pipeInput(key, value, now, headers);
  };
  await pipeReference(reference, start);
  await driver.commit();
  // Only what the events cause counts: not the topics' records of the reference data loaded first.
  const before = new Map(driver.topicNames().map((t) => [t, driver.createOutputTopic(t, Serdes.Bytes(), Serdes.Bytes()).getQueueSize()]));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Per-customer state grows with the run (48 h of history at live rates), so the rate is
  // also reported per fifth of the input.
  const segments: number[] = [];
  let segmentStart = t0;
  const perSegment = Math.ceil(batches.length / 5);
  for (const [b, batch] of batches.entries()) {
    const now = start + b * 100;
    await pipeReference(batch, now);
    for (const value of batch.events) await bronze.pipeInput(null, value, now, headers);
    await driver.commit();
    await driver.advanceWallClockTime(100);
    if ((b + 1) % perSegment === 0 || b === batches.length - 1) {
      const t = performance.now();
      segments.push(Math.round((((b % perSegment) + 1) * commitEvery) / ((t - segmentStart) / 1000)));
      segmentStart = t;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // Records written to Kafka per bronze event: every topic but the input (repartitions,
  // changelogs, silver, gold, DLQ), and those of the DQ count repartitions (scores and count reconciliation).
  let records = 0;
  let dqRecords = 0;
  for (const topic of driver.topicNames()) {
    if (topic === config.topics.bronzeEvents || topic === config.topics.products || topic === config.topics.customerChanges) continue;
    const n = driver.createOutputTopic(topic, Serdes.Bytes(), Serdes.Bytes()).getQueueSize() - (before.get(topic) ?? 0);
    records += n;
    if (perTopic && n > 0) console.log(`  ${(n / events).toFixed(3).padStart(7)}  ${topic}`);
    if (/^medallion-cpu-dq-(bronze|silver|recon-(bronze|silver|dlq|late|duplicates))-repartition$/.test(topic)) dqRecords += n;
  }
  await driver.close();
  return { rate: events / seconds, cpuRate: events / ((cpu.user + cpu.system) / 1e6), records: records / events, dqRecords: dqRecords / events, segments };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = [];
for (let i = 0; i < runs; i++) {
  const r = await run();
  results.push(r);
  console.log(`run ${i + 1}: ${Math.round(r.rate)} events/s wall, ${Math.round(r.cpuRate)} events per CPU-second; ${r.records.toFixed(2)} records written per event (DQ repartitions ${r.dqRecords.toFixed(3)}); per fifth: ${r.segments.join(' / ')} events/s`);
}
console.log(`median: ${Math.round(median(results.map((r) => r.rate)))} events/s wall, ${Math.round(median(results.map((r) => r.cpuRate)))} events per CPU-second (${events} events, ${partitions} partitions, commit every ${commitEvery})`);
