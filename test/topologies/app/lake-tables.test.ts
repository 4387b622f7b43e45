import { describe, expect, it } from 'vitest';
import { avroRowConverter, avroToIceberg, sinkConfig, type AvroSchema } from '../../../connectors/iceberg/index.ts';
import { recordKeyDecoder } from '../../../connectors/iceberg/sink/record-key.ts';
import { customerDimensionLakeTable, lakeTables } from '../../../topologies/app/lake-tables.ts';
import { applyCustomerChange } from '../../../topologies/logic/scd2/dimension-changes.ts';
import { PIPELINE_DEFAULTS } from '../../../topologies/pipeline-config.ts';
import { pipelineTopics } from '../../../topologies/pipeline-topics.ts';

/**
 * The tables `npm start` sinks: a valid sink configuration, and the customer dimension's
 * schema takes the dimension topic's values (CustomerVersion, as the SCD2 logic makes them)
 * and its record keys (the surrogate key as text).
 */
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

describe('lake tables of npm start', () => {
  it('are a valid sink configuration, with the customer dimension keyed by surrogate key', () => {
    const tables = lakeTables(pipelineTopics());
    const config = sinkConfig({ brokers: ['b:1'], groupId: 'g', catalogUrl: 'http://c', registryUrl: 'http://r', s3: { endpoint: 'http://x', region: 'r', accessKeyId: 'a', secretAccessKey: 'b' }, tables });
    expect(config.tables.map((t) => `${t.namespace.join('.')}.${t.table}`)).toEqual(['gold.sales_performance', 'gold.channel_performance', 'gold.attribution', 'gold.rfm', 'silver.customer_dimension']);
    const dimension = tables.at(-1)!;
    expect(dimension).toMatchObject({ topics: ['silver.customer-dimension'], key: ['surrogateKey'], keyFormat: 'text' });
  });

  it('the dimension schema takes the SCD2 versions: open version null effectiveTo, attributes as a struct', () => {
    const table = customerDimensionLakeTable(pipelineTopics(), PIPELINE_DEFAULTS.scd2Tracked);
    const { fields } = avroToIceberg(table.schema as AvroSchema);
    expect(fields.map((f) => [f.name, typeof f.type === 'string' ? f.type : f.type.type, f.required])).toEqual([
      ['surrogateKey', 'string', true], ['customerId', 'string', true], ['version', 'int', true], ['effectiveFrom', 'timestamptz', true], ['effectiveTo', 'timestamptz', false],
      ['isCurrent', 'boolean', true], ['attributeHash', 'string', true], ['attributes', 'struct', true],
    ]);
    const first = applyCustomerChange(undefined, { customerId: 'c1', effectiveFrom: T0, attributes: { name: 'Ada', city: 'Berlin' } }, PIPELINE_DEFAULTS.scd2Tracked);
    const second = applyCustomerChange(first.history, { customerId: 'c1', effectiveFrom: T0 + DAY, attributes: { name: 'Ada', city: 'Paris' } }, PIPELINE_DEFAULTS.scd2Tracked);
    const convert = avroRowConverter(table.schema as AvroSchema);
    // The values as the topic carries them (JSON), converted as the sink converts them.
    const rows = second.versions.map((v) => convert(JSON.parse(JSON.stringify(v))));
    expect(rows.map((r) => [r.version, r.effectiveFrom, r.effectiveTo, r.isCurrent, (r.attributes as Record<string, unknown>).city])).toEqual([
      [1, BigInt(T0) * 1000n, BigInt(T0 + DAY) * 1000n, false, 'Berlin'],
      [2, BigInt(T0 + DAY) * 1000n, null, true, 'Paris'],
    ]);
    const key = recordKeyDecoder('text', fields.filter((f) => f.name === 'surrogateKey'))(Buffer.from(second.versions[0]!.surrogateKey));
    expect(key).toEqual({ surrogateKey: rows[0]!.surrogateKey });
  });
});
