import { admit } from './admission.ts';
import { oracleAttribution, type OracleAttributionRow } from './oracle-attribution.ts';
import { oracleChannels, type OracleChannelRow } from './oracle-channels.ts';
import { oracleFeatures, type OracleFeatureRow } from './oracle-features.ts';
import type { OracleRates } from './oracle-input.ts';
import { oracleRfm, type OracleRfmRow } from './oracle-rfm.ts';
import { oracleSales, type OracleSalesRow } from './oracle-sales.ts';

/**
 * The batch oracle: every gold output recomputed from the raw input events (in arrival
 * order) with plain batch code that shares nothing with topologies/logic. The acceptance
 * harness compares the gold topics and lake tables with this, exactly.
 */
export interface OracleOptions {
  readonly rates: OracleRates;
  /** Reference time of the RFM recency. */
  readonly rfmReferenceTime: number;
  readonly lookbackMs?: number;
  readonly halfLifeMs?: number;
  /** The ML features' visitor TTL (pipeline config `featureVisitorTtlMs`); default 30 days. */
  readonly featureVisitorTtlMs?: number;
}

export interface GoldOracle {
  readonly counts: { input: number; accepted: number; malformed: number; late: number; duplicates: number };
  readonly sales: OracleSalesRow[];
  readonly channels: OracleChannelRow[];
  readonly attribution: OracleAttributionRow[];
  readonly rfm: OracleRfmRow[];
  /** Floats: compared with a rounding tolerance, not exactly. */
  readonly features: OracleFeatureRow[];
}

export function runGoldOracle(input: readonly unknown[], options: OracleOptions): GoldOracle {
  const { kept, counts } = admit(input, options.rates);
  return {
    counts,
    sales: oracleSales(kept),
    channels: oracleChannels(kept),
    attribution: oracleAttribution(kept, options.lookbackMs, options.halfLifeMs),
    rfm: oracleRfm(kept, options.rfmReferenceTime),
    features: oracleFeatures(kept, undefined, options.featureVisitorTtlMs),
  };
}
