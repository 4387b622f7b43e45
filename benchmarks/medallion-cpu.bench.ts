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
 *   npx tsx benchmarks/medallion-cpu.bench.ts [--events 100000] [--partitions 2] [--commit-every 500] [--runs 3]
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof benchmarks/medallion-cpu.bench.ts --runs 1
 */
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../runtime/index.ts';
import { liveBatch } from '../topologies/app/live-traffic.ts';
import { buildMedallion } from '../topologies/medallion.ts';
import { pipelineConfig } from '../topologies/pipeline-config.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const events = arg('--events', 100_000);
const partitions = arg('--partitions', 2);
const commitEvery = arg('--commit-every', 500);
const runs = arg('--runs', 3);

async function run(): Promise<{ rate: number; cpuRate: number; records: number; dqRecords: number; segments: number[] }> {
  const config = pipelineConfig({ prefix: 'cpu.' });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  const start = Date.UTC(2026, 0, 5, 8);
  const driver = await TopologyTestDriver.create(builder.build(), { partitions, applicationId: 'medallion-cpu', commitEachRecord: false, initialWallClockTimeMs: start });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  // Generated up front: the generator and JSON.stringify are the producer's cost, not the pipeline's.
  const batches: Buffer[][] = [];
  for (let b = 0; b * commitEvery < events; b++) {
    const n = Math.min(commitEvery, events - b * commitEvery);
    batches.push(liveBatch('cpu', b, n, start + b * 100).map((e) => Buffer.from(JSON.stringify(e))));
  }
  const headers = { 'sh-source': 'bench' };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Per-customer state grows with the run (48 h of history at live rates), so the rate is
  // also reported per fifth of the input.
  const segments: number[] = [];
  let segmentStart = t0;
  const perSegment = Math.ceil(batches.length / 5);
  for (const [b, batch] of batches.entries()) {
    const now = start + b * 100;
    for (const value of batch) await bronze.pipeInput(null, value, now, headers);
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
    if (topic === config.topics.bronzeEvents) continue;
    const n = driver.createOutputTopic(topic, Serdes.Bytes(), Serdes.Bytes()).getQueueSize();
    records += n;
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
