import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { runGoldOracle } from '../../topologies/oracle/gold-oracle.ts';
import { SEEDED_RATES, seededInput } from '../../topologies/oracle/seeded-input.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { expectFeaturesClose, featureRows, goldRows, oracleRows, type GoldTables } from './support/gold-outputs.ts';

/**
 * The whole medallion topology on the test driver against the independent batch oracle:
 * a seeded input with late, out-of-order, duplicate and malformed events goes in; every
 * gold output (latest value per key) equals the oracle's recomputation exactly.
 */
const START = Date.UTC(2026, 0, 5, 8);
const REFERENCE = Date.UTC(2026, 0, 20);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

async function runPipeline(input: readonly unknown[], partitions: number) {
  const config = pipelineConfig({ prefix: 'unit.', rates: SEEDED_RATES, rfmReferenceTime: REFERENCE });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions, applicationId: 'medallion-unit' });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  for (const [i, e] of input.entries()) await bronze.pipeInput('bronze', Buffer.from(JSON.stringify(e)), START + i * 1000, { 'sh-source': 'seeded' });
  await driver.advanceWallClockTime(config.rfmScoreIntervalMs);
  const read = (topic: string) => driver!.createOutputTopic(topic, Serdes.String(), Serdes.Json<Record<string, unknown> | null>()).readKeyValuesToMap();
  const count = (topic: string) => driver!.createOutputTopic(topic, Serdes.String(), Serdes.Bytes()).getQueueSize();
  const tables: GoldTables = { sales: read(config.topics.salesPerformance), channels: read(config.topics.channelPerformance), attribution: read(config.topics.attribution), rfm: read(config.topics.rfm) };
  const features = read(config.topics.features);
  await driver.advanceWallClockTime(config.reconciliationSettleMs);
  const reconciliation = [...read(config.topics.reconciliation).values()];
  const counts = { silver: count(config.topics.silverEvents), dlq: count(config.topics.dlq), late: count(config.topics.late), duplicates: count(config.topics.duplicates) };
  return { tables, features, counts, config, reconciliation };
}

describe('medallion topology vs the batch oracle', () => {
  it.each([
    [1, 7, 400],
    [3, 11, 900],
  ])('partitions %i, seed %i, %i events: every gold output equals the oracle', async (partitions, seed, events) => {
    const input = seededInput({ seed, events, start: START });
    const { tables, features, counts, reconciliation } = await runPipeline(input, partitions);
    expect(reconciliation.every((r) => r!.balanced === true)).toBe(true);
    expect(reconciliation.reduce((n, r) => n + (r!.bronze as number), 0)).toBe(input.length);
    const oracle = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: REFERENCE });
    expect(counts).toEqual({ silver: oracle.counts.accepted, dlq: oracle.counts.malformed, late: oracle.counts.late, duplicates: oracle.counts.duplicates });
    expect(oracle.counts.late).toBeGreaterThan(0);
    expect(oracle.counts.duplicates).toBeGreaterThan(0);
    expect(oracle.counts.malformed).toBeGreaterThan(0);
    const actual = goldRows(tables);
    const expected = oracleRows(oracle);
    for (const rows of Object.values(expected)) expect(rows.length).toBeGreaterThan(0);
    expect(actual.sales).toEqual(expected.sales);
    expect(actual.channels).toEqual(expected.channels);
    expect(actual.attribution).toEqual(expected.attribution);
    expect(actual.rfm).toEqual(expected.rfm);
    // The ML features (floats) equal the oracle's up to rounding: a visitor (w<n>) named by
    // an order has no record of its own, its clicks count for the order's customer.
    expect(oracle.features.length).toBeGreaterThan(0);
    expectFeaturesClose(featureRows(features), oracle.features);
  });
});
