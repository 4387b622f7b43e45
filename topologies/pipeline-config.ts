import { jsonGoldSerdes, type GoldSerdes } from './gold-contract.ts';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from './logic/features/interaction-scores.ts';
import type { RatesTable } from './logic/money/currency.ts';
import { ALLOWED_LATENESS_MS } from './logic/silver/lateness.ts';
import { pipelineTopics, type PipelineTopicNames } from './pipeline-topics.ts';

/**
 * What the medallion topologies are built with. Every key has a default in
 * PIPELINE_DEFAULTS except the topic names, which come from the catalog.
 */
export interface PipelineConfig {
  readonly topics: PipelineTopicNames;
  /** Currency conversion into the base currency (decimal strings). */
  readonly rates: RatesTable;
  /** Attribution lookback, ms (touches at most this long before the order). Default 7 days. */
  readonly lookbackMs: number;
  /** Half-life of the time-decay attribution model, ms. Default 7 days. */
  readonly halfLifeMs: number;
  /** RFM recency reference time (epoch ms); null: the wall clock at scoring time. */
  readonly rfmReferenceTime: number | null;
  /** How often the RFM population is rescored when it changed (wall clock, ms). */
  readonly rfmScoreIntervalMs: number;
  /** How often the attribution changes summed per total are sent (wall clock, ms). */
  readonly attributionFlushMs: number;
  /** Interaction weights and half-life of the ML features. */
  readonly features: FeatureConfig;
  /** A minute of counts is reconciled once it has been quiet this long (wall clock, ms). */
  readonly reconciliationSettleMs: number;
  /** Customer attributes whose change makes a new SCD2 version. */
  readonly scd2Tracked: readonly string[];
  /** Orders joined at most this long before the orders' stream time are re-joined when a back-dated customer change alters their version, ms. Default 48 h (the allowed lateness). */
  readonly rejoinHorizonMs: number;
  /** DQ score threshold under which an alert fires (0..1). Default 0.999. */
  readonly dqThreshold: number;
  /**
   * The sessionizer's sweep deletes, for every user, the sessions that ended more than
   * 48 h + 30 min + this margin before the greatest event time the task has seen, ms. The margin
   * covers how far the silver partitions feeding one sessionizer task may run apart in event
   * time (silver-sessions.ts, "Retention"). Default 24 h.
   */
  readonly sessionSweepMarginMs: number;
  /**
   * A visitor identity of the ML features (a clickstream user no order has linked yet) with no
   * event for this long before the greatest event time the feature task has seen is deleted,
   * with its feature record unless that key is a customer's (a tombstone on the feature
   * topic), ms (gold-features.ts, "Retention"). Default 30 days.
   */
  readonly featureVisitorTtlMs: number;
  /**
   * The value serde of each gold topic (topologies/gold-contract.ts). Default: JSON rows;
   * the platform uses `goldAvroSerdes` (Confluent Avro, schemas in the registry).
   */
  readonly goldSerdes: GoldSerdes;
}

export const PIPELINE_DEFAULTS: Omit<PipelineConfig, 'topics'> = {
  rates: { base: 'EUR', rates: { USD: '0.9137', GBP: '1.1745' } },
  lookbackMs: 7 * 86_400_000,
  halfLifeMs: 7 * 86_400_000,
  rfmReferenceTime: null,
  rfmScoreIntervalMs: 1000,
  attributionFlushMs: 500,
  features: DEFAULT_FEATURE_CONFIG,
  reconciliationSettleMs: 30_000,
  scd2Tracked: ['name', 'email', 'city', 'country', 'segment'],
  rejoinHorizonMs: ALLOWED_LATENESS_MS,
  dqThreshold: 0.999,
  sessionSweepMarginMs: 24 * 3_600_000,
  featureVisitorTtlMs: 30 * 86_400_000,
  goldSerdes: jsonGoldSerdes,
};

export function pipelineConfig(overrides: Partial<PipelineConfig> & { prefix?: string } = {}): PipelineConfig {
  const { prefix, ...rest } = overrides;
  return { ...PIPELINE_DEFAULTS, topics: pipelineTopics(prefix), ...rest };
}
