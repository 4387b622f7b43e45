import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/** DQ scores per layer per minute, cross-layer reconciliation and alerts, on the test driver. */
const MINUTE = Date.UTC(2026, 0, 5, 8, 30);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

async function start() {
  const config = pipelineConfig({ prefix: 'dq.', reconciliationSettleMs: 1000, rfmReferenceTime: MINUTE });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'quality-unit', initialWallClockTimeMs: MINUTE });
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
});
