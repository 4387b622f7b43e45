import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { SEEDED_RATES } from '../../topologies/oracle/seeded-input.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/**
 * The RFM scorer between scorings: a customer whose state changed after a scoring is
 * rescored from its new state, and a customer whose row did not change is not published again.
 */
const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 5, 8);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

const order = (id: string, customerId: string, time: number, unitPrice: string) => ({
  type: 'order', eventId: id, orderId: id, customerId, time, channel: 'web', country: 'DE', currency: 'EUR', lines: [{ productId: 'p1', category: 'toys', quantity: 1, unitPrice }],
});

describe('gold RFM scorer', () => {
  it('rescores a customer from the state it has after the last scoring, and republishes only changed rows', async () => {
    const config = pipelineConfig({ prefix: 'rfm.', rates: SEEDED_RATES, rfmReferenceTime: T + 10 * DAY });
    const builder = new StreamsBuilder();
    buildMedallion(builder, config);
    driver = await TopologyTestDriver.create(builder.build(), { partitions: 1, applicationId: 'rfm-unit' });
    const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
    const rfm = driver.createOutputTopic(config.topics.rfm, Serdes.String(), Serdes.Json<{ frequency: number; monetary: string } | null>());
    let offset = 0;
    const pipe = async (...events: object[]) => {
      for (const e of events) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + offset++);
    };
    await pipe(order('o1', 'a', T, '10.00'), order('o2', 'b', T + 1, '20.00'));
    await driver.advanceWallClockTime(config.rfmScoreIntervalMs);
    expect(Object.fromEntries(rfm.readKeyValuesToList().map((r) => [r.key, [r.value!.frequency, r.value!.monetary]]))).toEqual({ a: [1, '10.00'], b: [1, '20.00'] });
    // Only a's state changes; its scores and b's may shift with it, but b's row content is
    // republished only if it differs.
    await pipe(order('o3', 'a', T + DAY, '5.00'));
    await driver.advanceWallClockTime(config.rfmScoreIntervalMs);
    const second = rfm.readKeyValuesToList();
    expect(second.find((r) => r.key === 'a')?.value).toMatchObject({ frequency: 2, monetary: '15.00' });
    const b = second.find((r) => r.key === 'b');
    if (b !== undefined) expect(b.value).toMatchObject({ frequency: 1, monetary: '20.00' });
    // Nothing new: no row is published again.
    await driver.advanceWallClockTime(config.rfmScoreIntervalMs);
    expect(rfm.readKeyValuesToList()).toEqual([]);
  });
});
