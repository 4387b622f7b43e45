import { afterAll, describe, expect, it } from 'vitest';
import { avroRowConverter, avroToIceberg, type AvroSchema } from '../../../connectors/iceberg/index.ts';
import { recordKeyDecoder } from '../../../connectors/iceberg/sink/record-key.ts';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../../runtime/index.ts';
import { goldLakeTables } from '../../../topologies/app/lake-tables.ts';
import { GOLD_CONTRACT, goldMapping, type GoldTopicKey } from '../../../topologies/gold-contract.ts';
import { buildMedallion } from '../../../topologies/medallion.ts';
import { SEEDED_RATES, seededInput } from '../../../topologies/oracle/seeded-input.ts';
import { pipelineConfig } from '../../../topologies/pipeline-config.ts';
import type { PipelineTopicNames } from '../../../topologies/pipeline-topics.ts';

/**
 * The gold lake tables take the gold topics' Avro records: the table schema is the topic's
 * registered schema, and every record key the topologies write names, in the table's key
 * columns, exactly the row its value becomes, so a tombstone deletes the right row.
 */
const START = Date.UTC(2026, 0, 5, 8);
let driver: TopologyTestDriver | undefined;
afterAll(async () => driver?.close());

const keyOf = (topics: PipelineTopicNames, topic: string): GoldTopicKey => (Object.keys(GOLD_CONTRACT) as GoldTopicKey[]).find((k) => topics[k] === topic)!;

describe('gold lake tables', () => {
  it('are Avro tables whose key columns are required columns of the contract schema, naming the row of each record key', async () => {
    const config = pipelineConfig({ prefix: 'lake.', rates: SEEDED_RATES, rfmReferenceTime: START });
    const builder = new StreamsBuilder();
    buildMedallion(builder, config);
    driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'gold-lake-unit' });
    const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
    for (const [i, e] of seededInput({ seed: 5, events: 300, start: START }).entries()) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), START + i * 1000);
    await driver.advanceWallClockTime(config.rfmScoreIntervalMs);
    for (const table of goldLakeTables(config.topics)) {
      const key = keyOf(config.topics, table.topics[0]!);
      const schema = GOLD_CONTRACT[key].schema as AvroSchema;
      expect(table.format, table.table).toBe('avro');
      const { fields } = avroToIceberg(schema);
      const columns = table.key!.map((name) => fields.find((f) => f.name === name)!);
      expect(columns.every((c) => c !== undefined && c.required), table.table).toBe(true);
      const decodeKey = recordKeyDecoder(table.keyFormat!, columns);
      const toRow = avroRowConverter(schema);
      const mapping = goldMapping(key, SEEDED_RATES.base);
      const records = driver.createOutputTopic(table.topics[0]!, Serdes.String(), Serdes.Json<never>()).readKeyValuesToList().filter((r) => r.value !== null);
      expect(records.length, table.table).toBeGreaterThan(0);
      for (const r of records) {
        const row = toRow(mapping.toRecord(r.value));
        expect(decodeKey(Buffer.from(r.key)), `${table.table} ${r.key}`).toEqual(Object.fromEntries(table.key!.map((c) => [c, row[c]])));
      }
    }
  });
});
