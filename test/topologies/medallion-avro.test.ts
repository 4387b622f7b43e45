import { afterEach, describe, expect, it } from 'vitest';
import { InMemorySchemaResolver, Serdes, StreamsBuilder, TopologyTestDriver, type Serde } from '../../runtime/index.ts';
import { GOLD_TOPICS, goldAvroSerdes, type GoldSerdes } from '../../topologies/gold-contract.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { SEEDED_RATES, seededInput } from '../../topologies/oracle/seeded-input.ts';
import { pipelineConfig, type PipelineConfig } from '../../topologies/pipeline-config.ts';
import { pipelineTopics } from '../../topologies/pipeline-topics.ts';

/**
 * The medallion topology with the Avro gold serdes (in-memory registry) against the same
 * topology with the JSON ones: on the same seeded input, every gold topic carries the same
 * records in the same order once decoded, and every Avro value is in the Confluent framing
 * with the id registered under `<topic>-value`.
 */
const START = Date.UTC(2026, 0, 5, 8);
const REFERENCE = Date.UTC(2026, 0, 20);
const drivers: TopologyTestDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
});

async function run(input: readonly unknown[], config: PipelineConfig, decode: GoldSerdes) {
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  const driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'medallion-avro-unit' });
  drivers.push(driver);
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  for (const [i, e] of input.entries()) await bronze.pipeInput('bronze', Buffer.from(JSON.stringify(e)), START + i * 1000, { 'sh-source': 'seeded' });
  await driver.advanceWallClockTime(config.reconciliationSettleMs);
  const out: Record<string, { records: { key: string; value: unknown }[]; bytes: (Buffer | null)[] }> = {};
  for (const key of GOLD_TOPICS) {
    const topic = config.topics[key];
    const bytes = driver.createOutputTopic(topic, Serdes.String(), Serdes.Bytes()).readValuesToList();
    const serde = decode[key]() as Serde<unknown>;
    out[key] = { bytes, records: driver.createOutputTopic(topic, Serdes.String(), serde).readKeyValuesToList().map(({ key: k, value }) => ({ key: k, value })) };
  }
  return out;
}

describe('medallion topology with Avro gold serdes', () => {
  it('decoded gold outputs equal the JSON run’s for the same seeded input', async () => {
    const input = seededInput({ seed: 11, events: 600, start: START });
    const overrides = { prefix: 'avro.', rates: SEEDED_RATES, rfmReferenceTime: REFERENCE, reconciliationSettleMs: 1000 };
    const json = await run(input, pipelineConfig(overrides), pipelineConfig(overrides).goldSerdes);
    const resolver = new InMemorySchemaResolver();
    const goldSerdes = await goldAvroSerdes(resolver, pipelineTopics('avro.'), SEEDED_RATES.base);
    const avro = await run(input, pipelineConfig({ ...overrides, goldSerdes }), goldSerdes);
    for (const key of GOLD_TOPICS) {
      expect(json[key]!.records.length, key).toBeGreaterThan(0);
      expect(avro[key]!.records, key).toEqual(json[key]!.records);
      const ids = await resolver.idsFor(`${pipelineTopics('avro.')[key]}-value`);
      expect(ids, key).toHaveLength(1);
      const id = ids[0];
      for (const b of avro[key]!.bytes) if (b !== null) expect([b[0], b.readUInt32BE(1)], key).toEqual([0, id]);
    }
  });
});
