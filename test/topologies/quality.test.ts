import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/** DQ scores per layer per minute, cross-layer reconciliation and alerts, on the test driver. */
const MINUTE = Date.UTC(2026, 0, 5, 8, 30);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

async function start(commitEachRecord = true) {
  const config = pipelineConfig({ prefix: 'dq.', reconciliationSettleMs: 1000, rfmReferenceTime: MINUTE });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'quality-unit', initialWallClockTimeMs: MINUTE, commitEachRecord });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  const read = (topic: string) => driver!.createOutputTopic(topic, Serdes.String(), Serdes.Json<Record<string, unknown>>()).readKeyValuesToMap();
  return { config, bronze, read };
}

const click = { type: 'click', eventId: 'k1', userId: 'u1', time: MINUTE + 5_000, eventType: 'view', channel: 'email', page: '/', campaign: null, productId: 'p1' };

describe('quality', () => {
  it('scores bronze per minute (2 rules x 3 records, 4 failures: 0.333333) and alerts once under 99.9 %', async () => {
    const { config, bronze, read } = await start();
    await bronze.pipeInput('a', Buffer.from(JSON.stringify(click)), MINUTE + 1_000);
    await bronze.pipeInput('b', Buffer.from('not json'), MINUTE + 2_000);
    await bronze.pipeInput('c', Buffer.from(JSON.stringify({ ...click, eventId: 'k2', time: 'yesterday' })), MINUTE + 3_000);
    const scores = read(config.topics.dqScores);
    const b = scores.get(JSON.stringify(['bronze', MINUTE]))!;
    expect(b).toMatchObject({ layer: 'bronze', windowStart: MINUTE, windowEnd: MINUTE + 60_000, records: 3, score: '0.333333' });
    expect(scores.get(JSON.stringify(['silver', MINUTE]))).toMatchObject({ records: 1, score: '1.000000', completeness: { campaign: '0.000000', productId: '1.000000' } });
    // Raised once, by the first update under the threshold (1 of 2 records failed both rules).
    const alerts = driver!.createOutputTopic(config.topics.alerts, Serdes.String(), Serdes.Json<Record<string, unknown>>()).readKeyValuesToList();
    const score = alerts.filter((a) => a.key === `dq|bronze|${MINUTE}|score`);
    expect(score.map((a) => a.value)).toEqual([expect.objectContaining({ kind: 'dq_threshold', observed: '0.500000', threshold: '0.999' })]);
  });

  it('reconciles bronze = silver + duplicates + DLQ + late per minute once quiet, and alerts on a mismatch', async () => {
    const { config, bronze, read } = await start();
    await bronze.pipeInput('a', Buffer.from(JSON.stringify(click)), MINUTE + 1_000);
    await bronze.pipeInput('a', Buffer.from(JSON.stringify(click)), MINUTE + 2_000); // a duplicate
    await bronze.pipeInput('b', Buffer.from('{}'), MINUTE + 3_000); // malformed
    await bronze.pipeInput('c', Buffer.from(JSON.stringify({ ...click, eventId: 'k9', time: MINUTE - 72 * 3_600_000 })), MINUTE + 4_000); // late
    // A record in the late topic with no bronze record behind it, a minute later.
    await driver!.createInputTopic(config.topics.late, Serdes.String(), Serdes.String()).pipeInput('x', '{}', MINUTE + 61_000);
    expect(read(config.topics.reconciliation).size).toBe(0);
    await driver!.advanceWallClockTime(2_000);
    const rows = read(config.topics.reconciliation);
    expect(rows.get(String(MINUTE))).toEqual({ windowStart: MINUTE, bronze: 4, silver: 1, duplicates: 1, dlq: 1, late: 1, balanced: true });
    expect(rows.get(String(MINUTE + 60_000))).toEqual({ windowStart: MINUTE + 60_000, bronze: 0, silver: 0, duplicates: 0, dlq: 0, late: 1, balanced: false });
    const alerts = read(config.topics.alerts);
    expect(alerts.get(`reconciliation|counts|${MINUTE + 60_000}`)).toMatchObject({ kind: 'reconciliation', message: 'bronze 0 != silver 0 + duplicates 0 + dlq 0 + late 1 (= 1)' });
    expect(alerts.has(`reconciliation|counts|${MINUTE}`)).toBe(false);
  });

  it('pre-aggregates per task and minute before the DQ repartitions: a burst of 240 events sends a few partial counts, and every count is exact', async () => {
    const { config, bronze, read } = await start(false);
    const at = (i: number) => MINUTE + 1_000 + i * 100;
    for (let i = 0; i < 200; i++) await bronze.pipeInput(`e${i}`, Buffer.from(JSON.stringify({ ...click, eventId: `e${i}`, userId: `u${i % 7}`, campaign: i % 2 === 0 ? 'c1' : null })), at(i));
    for (let i = 0; i < 20; i++) await bronze.pipeInput(`e${i}`, Buffer.from(JSON.stringify({ ...click, eventId: `e${i}`, userId: `u${i % 7}` })), at(200 + i)); // duplicates
    for (let i = 0; i < 10; i++) await bronze.pipeInput(`m${i}`, Buffer.from('not json'), at(220 + i)); // malformed
    for (let i = 0; i < 10; i++) await bronze.pipeInput(`l${i}`, Buffer.from(JSON.stringify({ ...click, eventId: `l${i}`, time: MINUTE - 72 * 3_600_000 })), at(230 + i)); // late
    await driver!.commit(); // the gate's and the silver tasks' partials go through the repartitions
    await driver!.commit(); // the aggregations' caches forward the scores
    // One partial per upstream task (2 partitions) and minute, instead of one record per input record.
    const repartitions = ['dq-bronze', 'dq-silver', 'dq-recon-bronze', 'dq-recon-silver', 'dq-recon-duplicates', 'dq-recon-dlq', 'dq-recon-late'].map((name) => `quality-unit-${name}-repartition`);
    const sizes = repartitions.map((topic) => driver!.createOutputTopic(topic, Serdes.String(), Serdes.Bytes()).getQueueSize());
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(2);
    const scores = read(config.topics.dqScores);
    // The 10 malformed records fail both rules (no fields at all): 460 of 480 checks pass.
    expect(scores.get(JSON.stringify(['bronze', MINUTE]))).toMatchObject({ records: 240, score: '0.958333' });
    expect(scores.get(JSON.stringify(['silver', MINUTE]))).toMatchObject({ records: 200, score: '1.000000', completeness: { campaign: '0.500000', productId: '1.000000' } });
    await driver!.advanceWallClockTime(2_000);
    await driver!.commit();
    expect(read(config.topics.reconciliation).get(String(MINUTE))).toEqual({ windowStart: MINUTE, bronze: 240, silver: 200, duplicates: 20, dlq: 10, late: 10, balanced: true });
  });

  it('still counts the one-record-per-input values the version before the combiner left in the DQ repartition topics', async () => {
    const { config, bronze, read } = await start();
    await bronze.pipeInput('a', Buffer.from(JSON.stringify(click)), MINUTE + 1_000);
    const old = (name: string) => driver!.createInputTopic(`quality-unit-${name}-repartition`, Serdes.String(), Serdes.Json<unknown>());
    await old('dq-bronze').pipeInput(JSON.stringify(['bronze', MINUTE]), { value: { eventId: 'k0', time: 5, type: 'click' }, at: MINUTE + 500 }, MINUTE + 500);
    await old('dq-recon-bronze').pipeInput(JSON.stringify(['recon-bronze', MINUTE]), 'bronze', MINUTE + 500);
    await old('dq-recon-dlq').pipeInput(JSON.stringify(['recon-dlq', MINUTE]), 'dlq', MINUTE + 500);
    // 2 records, 4 checks; the old record's time (1970) fails the sane-time rule only: 0.75.
    expect(read(config.topics.dqScores).get(JSON.stringify(['bronze', MINUTE]))).toMatchObject({ records: 2, score: '0.750000' });
    await driver!.advanceWallClockTime(2_000);
    expect(read(config.topics.reconciliation).get(String(MINUTE))).toEqual({ windowStart: MINUTE, bronze: 2, silver: 1, duplicates: 0, dlq: 1, late: 0, balanced: true });
  });
});
