import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySchemaResolver, SerdeError, Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { LOGICAL_TYPES } from '../../schemas/logical-types.ts';
import { GOLD_CONTRACT, GOLD_TOPICS, goldAvroSerdes, type GoldRows, type GoldSerdes, type GoldTopicKey } from '../../topologies/gold-contract.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { SEEDED_RATES, seededInput } from '../../topologies/oracle/seeded-input.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { pipelineTopics } from '../../topologies/pipeline-topics.ts';

/**
 * The gold contract: every gold row survives row → Confluent Avro bytes → row exactly
 * (money as the same decimal text), the bytes carry the id registered under
 * `<topic>-value`, and the Avro record is the documented snake_case one.
 */
const topics = pipelineTopics('contract.');
const resolver = new InMemorySchemaResolver();
let serdes: GoldSerdes;
beforeAll(async () => {
  serdes = await goldAvroSerdes(resolver, topics, 'EUR');
});

const T = Date.UTC(2026, 0, 5, 8, 30);
const SAMPLES: { readonly [K in GoldTopicKey]: GoldRows[K][] } = {
  salesPerformance: [
    { window: '1m', windowStart: T, windowEnd: T + 60_000, category: 'toys', channel: 'email', country: 'DE', revenue: '12345678901234.56', orders: 3, units: 7, aov: '4115226300411.52' },
    { window: '1d', windowStart: T, windowEnd: T + 86_400_000, category: '', channel: 'direct', country: 'ÉÉ', revenue: '0.00', orders: 0, units: 0, aov: '0.00' },
  ],
  channelPerformance: [
    { day: T, channel: 'email', sessions: 4, conversions: 1, conversionRate: '0.2500', revenue: '10.05', spend: '-3.10', roas: '-3.2419', cac: '-3.10' },
    { day: T, channel: 'ads', sessions: 0, conversions: 0, conversionRate: null, revenue: '0.00', spend: '0.00', roas: null, cac: null },
  ],
  attribution: [{ model: 'time-decay', channel: '(none)', campaign: '(none)', revenue: '-0.01' }],
  rfm: [{ customerId: 'u1', asOf: T, lastPurchase: T - 5 * 86_400_000, recencyDays: 5, frequency: 2, monetary: '99.99', r: 5, f: 4, m: 1, segment: 'champions' }],
  features: [
    { customerId: 'u1', asOf: T, topProducts: [{ productId: 'p1', score: 4.999999999999999 }, { productId: 'p2', score: 1e-300 }], categoryAffinity: { toys: 0.75, 'home & garden': 0.25 }, rfm: null },
    { customerId: 'u2', asOf: T, topProducts: [], categoryAffinity: {}, rfm: { recencyDays: 0, frequency: 1, monetary: '5.00', r: 1, f: 1, m: 1, segment: 'new' } },
  ],
  dqScores: [
    { layer: 'bronze', windowStart: T, windowEnd: T + 60_000, records: 3, score: '0.333333', ruleRates: { 'input schema': '0.666667', time: '0.333333' }, completeness: { eventId: '1.000000' }, alerts: [{ metric: 'score', value: '0.333333', threshold: '0.999' }] },
  ],
  reconciliation: [{ windowStart: T, bronze: 10, silver: 6, duplicates: 2, dlq: 1, late: 0, balanced: false }],
  revenueReconciliation: [{ windowStart: T, windowEnd: T + 60_000, silverRevenue: '1041.27', goldRevenue: '-0.05', balanced: false }],
  alerts: [
    { alertId: `reconciliation|counts|${T}`, kind: 'reconciliation', layer: null, windowStart: T, metric: 'counts', observed: '10', threshold: '9', message: 'bronze 10 != …' },
    { alertId: `dq|bronze|${T}|score`, kind: 'dq_threshold', layer: 'bronze', windowStart: T, metric: 'score', observed: '0.333333', threshold: '0.999', message: 'low' },
  ],
};

const roundTrip = <K extends GoldTopicKey>(key: K, row: GoldRows[K]) => {
  const serde = serdes[key]();
  return serde.deserialize(topics[key], serde.serialize(topics[key], row));
};

describe('gold contract', () => {
  it.each(GOLD_TOPICS)('%s: rows survive row → Avro bytes → row exactly, with the id registered under <topic>-value', async (key) => {
    for (const row of SAMPLES[key]) {
      const bytes = serdes[key]().serialize(topics[key], row as never)!;
      expect(bytes[0]).toBe(0);
      expect(await resolver.idsFor(`${topics[key]}-value`)).toEqual([bytes.readUInt32BE(1)]);
      expect(roundTrip(key, row)).toEqual(row);
    }
  });

  it('the Avro record is the documented one: snake_case, decimals at the row scale, timestamp-millis, the base currency', () => {
    const row = SAMPLES.salesPerformance[0]!;
    const bytes = serdes.salesPerformance().serialize(topics.salesPerformance, row)!;
    const type = avro.Type.forSchema(GOLD_CONTRACT.salesPerformance.schema as avro.Schema, { logicalTypes: LOGICAL_TYPES });
    expect({ ...(type.fromBuffer(bytes.subarray(5)) as object) }).toEqual({
      window_size: '1m', window_start: T, window_end: T + 60_000, category: 'toys', channel: 'email', country: 'DE', revenue: '12345678901234.56', orders: 3, units: 7, aov: '4115226300411.52', currency: 'EUR',
    });
  });

  it('refuses a row it could not give back: money at another scale, a field the schema lacks, a missing one', () => {
    const row = SAMPLES.rfm[0]!;
    const serde = serdes.rfm();
    expect(() => serde.serialize(topics.rfm, { ...row, monetary: '99.9' })).toThrow(SerdeError);
    expect(() => serde.serialize(topics.rfm, { ...row, monetary: '99.9' })).toThrow('gold row for contract.gold.rfm does not fit its Avro schema: monetary: decimal 99.9 has 1 places, the schema has scale 2');
    expect(() => serde.serialize(topics.rfm, { ...row, extra: 1 } as never)).toThrow('extra: has no field in the schema');
    const { segment: _segment, ...missing } = row;
    expect(() => serde.serialize(topics.rfm, missing as never)).toThrow('segment: is missing');
  });

  it('a reader refuses money in another currency than its base currency', async () => {
    const usd = await goldAvroSerdes(resolver, topics, 'USD');
    const bytes = usd.rfm().serialize(topics.rfm, SAMPLES.rfm[0]!);
    expect(() => serdes.rfm().deserialize(topics.rfm, bytes)).toThrow('Avro record on contract.gold.rfm is not a gold row: currency: is "USD", this reader expects "EUR"');
  });

  describe('every row the medallion topology emits on a seeded input', () => {
    let driver: TopologyTestDriver | undefined;
    afterAll(async () => driver?.close());

    it('round-trips through its topic’s Avro serde', async () => {
      const config = pipelineConfig({ prefix: 'contract.', rates: SEEDED_RATES, rfmReferenceTime: T, reconciliationSettleMs: 1000 });
      const builder = new StreamsBuilder();
      buildMedallion(builder, config);
      driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'gold-contract-unit' });
      const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
      for (const [i, e] of seededInput({ seed: 3, events: 300, start: T }).entries()) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + i * 1000);
      await driver.advanceWallClockTime(5000);
      for (const key of GOLD_TOPICS) {
        const rows = driver.createOutputTopic(config.topics[key], Serdes.String(), Serdes.Json<GoldRows[typeof key] | null>()).readValuesToList().filter((r) => r !== null);
        expect(rows.length, key).toBeGreaterThan(0);
        for (const row of rows) expect(roundTrip(key, row)).toEqual(row);
      }
    });
  });
});
