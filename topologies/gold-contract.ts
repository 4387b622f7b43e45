import { AvroSerde, SerdeError, Serdes, type AvroSchema, type SchemaResolver, type Serde } from '../runtime/index.ts';
import { AlertSchema, AttributionTotalSchema, ChannelPerformanceSchema, CustomerFeaturesSchema, CustomerRfmSchema, DqScoreSchema, ReconciliationSchema, RevenueReconciliationSchema, SalesPerformanceSchema } from '../schemas/generated/index.ts';
import type { AttributionRow } from './gold-attribution.ts';
import type { ChannelRow } from './gold-channels.ts';
import type { RfmRow } from './gold-rfm.ts';
import type { SalesRow } from './gold-sales.ts';
import { avroRowMapping, type AvroJson, type MappingOptions, type RowMapping } from './logic/contract/avro-row-mapping.ts';
import type { CustomerFeatureRecord } from './logic/features/feature-record.ts';
import type { PipelineTopicNames } from './pipeline-topics.ts';
import type { ReconciliationRow } from './quality-reconciliation.ts';
import type { RevenueReconciliationRow } from './quality-revenue-reconciliation.ts';
import type { AlertRow, DqRow } from './quality-scores.ts';

/**
 * The contract of the gold topics: for each, the Avro value schema (schemas/<file>.avsc,
 * registered as `<topic>-value`), and the mapping between the row the topology emits and
 * the Avro record (logic/contract/avro-row-mapping.ts). Money is an Avro decimal at the
 * row's scale (cents: scale 2), so row → bytes → row gives the same text; timestamps are
 * timestamp-millis. Keys stay UTF-8 text (documented in each schema's doc).
 *
 * The value serde of every gold topic is pluggable (PipelineConfig.goldSerdes): JSON rows
 * (`jsonGoldSerdes`, the default, which the test-driver tests read) or Confluent Avro
 * against a schema registry (`goldAvroSerdes`, which the platform runs).
 */
export interface GoldRows {
  readonly salesPerformance: SalesRow;
  readonly channelPerformance: ChannelRow;
  readonly attribution: AttributionRow;
  readonly rfm: RfmRow;
  readonly features: CustomerFeatureRecord;
  readonly dqScores: DqRow;
  readonly reconciliation: ReconciliationRow;
  readonly revenueReconciliation: RevenueReconciliationRow;
  readonly alerts: AlertRow;
}

export type GoldTopicKey = keyof GoldRows;
export type GoldSerdes = { readonly [K in GoldTopicKey]: () => Serde<GoldRows[K]> };

export interface GoldTopicContract {
  /** schemas/<file>.avsc */
  readonly file: string;
  readonly schema: AvroJson;
  readonly renames?: MappingOptions['renames'];
  /** True when the record carries the base currency in a `currency` field. */
  readonly currency?: boolean;
}

const SCORES = { r_score: 'r', f_score: 'f', m_score: 'm' };

export const GOLD_CONTRACT: { readonly [K in GoldTopicKey]: GoldTopicContract } = {
  salesPerformance: { file: 'gold-sales-performance', schema: SalesPerformanceSchema, renames: { window_size: 'window' }, currency: true },
  channelPerformance: { file: 'gold-channel-performance', schema: ChannelPerformanceSchema, currency: true },
  attribution: { file: 'gold-attribution', schema: AttributionTotalSchema, currency: true },
  rfm: { file: 'gold-rfm', schema: CustomerRfmSchema, renames: SCORES, currency: true },
  features: { file: 'gold-customer-features', schema: CustomerFeaturesSchema, renames: SCORES, currency: true },
  dqScores: { file: 'gold-dq-score', schema: DqScoreSchema },
  reconciliation: { file: 'gold-reconciliation', schema: ReconciliationSchema },
  revenueReconciliation: { file: 'gold-revenue-reconciliation', schema: RevenueReconciliationSchema, currency: true },
  alerts: { file: 'gold-alert', schema: AlertSchema },
};

export const GOLD_TOPICS = Object.keys(GOLD_CONTRACT) as GoldTopicKey[];

/** The row ↔ Avro record mapping of one gold topic; `currency` fills the records' currency field. */
export function goldMapping<K extends GoldTopicKey>(topic: K, currency: string): RowMapping<GoldRows[K]> {
  const c = GOLD_CONTRACT[topic];
  return avroRowMapping<GoldRows[K]>(c.schema, { renames: c.renames, constants: c.currency ? { currency } : {} });
}

/** JSON rows (the type named in the topic catalog), as before Avro. */
export const jsonGoldSerdes: GoldSerdes = {
  salesPerformance: () => Serdes.Json(),
  channelPerformance: () => Serdes.Json(),
  attribution: () => Serdes.Json(),
  rfm: () => Serdes.Json(),
  features: () => Serdes.Json(),
  dqScores: () => Serdes.Json(),
  reconciliation: () => Serdes.Json(),
  revenueReconciliation: () => Serdes.Json(),
  alerts: () => Serdes.Json(),
};

/**
 * A gold row in the Confluent Avro wire format: the mapping turns it into the Avro record,
 * AvroSerde writes magic byte 0, the schema id and the Avro body. A row the mapping
 * refuses fails with SerdeError SERIALIZATION_FAILED naming the field.
 */
export class GoldAvroSerde<Row> implements Serde<Row> {
  private readonly avro: AvroSerde<Record<string, unknown>>;

  constructor(private readonly mapping: RowMapping<Row>, schema: AvroJson, resolver: SchemaResolver) {
    this.avro = new AvroSerde({ schema: schema as AvroSchema, resolver });
  }

  prepare(topic: string): Promise<void> {
    return this.avro.prepare(topic);
  }

  serialize(topic: string, row: Row): Buffer | null {
    if (row === null || row === undefined) return null;
    let record: Record<string, unknown>;
    try {
      record = this.mapping.toRecord(row);
    } catch (err) {
      throw new SerdeError('SERIALIZATION_FAILED', `gold row for ${topic} does not fit its Avro schema: ${(err as Error).message}`, { cause: err });
    }
    return this.avro.serialize(topic, record);
  }

  deserialize(topic: string, data: Buffer | null): Row {
    if (data === null) return null as Row;
    const record = this.avro.deserialize(topic, data);
    try {
      return this.mapping.fromRecord(record);
    } catch (err) {
      throw new SerdeError('DESERIALIZATION_FAILED', `Avro record on ${topic} is not a gold row: ${(err as Error).message}`, { cause: err });
    }
  }
}

/**
 * Confluent Avro serdes for the gold topics named in `topics`, with their schemas registered
 * (or looked up) through `resolver` under `<topic>-value` before this resolves: sink serdes
 * must serialize synchronously, so they are prepared here, once, for their topic.
 */
export async function goldAvroSerdes(resolver: SchemaResolver, topics: PipelineTopicNames, currency: string): Promise<GoldSerdes> {
  const entries = await Promise.all(
    GOLD_TOPICS.map(async (key) => {
      const serde = new GoldAvroSerde(goldMapping(key, currency), GOLD_CONTRACT[key].schema, resolver);
      await serde.prepare(topics[key]);
      return [key, () => serde] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as GoldSerdes;
}
