import { formatDecimal } from '../money/decimal.ts';
import type { RfmScore } from '../rfm/rfm-scores.ts';
import { categoryAffinity, interactionScores, DEFAULT_FEATURE_CONFIG, type CustomerFeatures, type FeatureConfig } from './interaction-scores.ts';

/**
 * The value of the compacted feature topic (key: customer id) and of the per-customer HTTP
 * query: the top products by decayed interaction score, the category affinity and the RFM
 * features, all as of `time`. Products are ranked by score, ties by product id.
 */
export interface CustomerFeatureRecord {
  readonly customerId: string;
  readonly asOf: number;
  readonly topProducts: readonly { readonly productId: string; readonly score: number }[];
  readonly categoryAffinity: Readonly<Record<string, number>>;
  readonly rfm: { readonly recencyDays: number; readonly frequency: number; readonly monetary: string; readonly r: number; readonly f: number; readonly m: number; readonly segment: string } | null;
}

export function featureRecord(customerId: string, features: CustomerFeatures | undefined, rfm: RfmScore | undefined, time: number, topN = 10, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): CustomerFeatureRecord {
  const scores = features === undefined ? {} : interactionScores(features, time, config);
  const topProducts = Object.entries(scores)
    .map(([productId, score]) => ({ productId, score }))
    .sort((a, b) => b.score - a.score || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .slice(0, topN);
  return {
    customerId,
    asOf: time,
    topProducts,
    categoryAffinity: features === undefined ? {} : categoryAffinity(features, time, config),
    rfm: rfm === undefined ? null : { recencyDays: rfm.recencyDays, frequency: rfm.frequency, monetary: formatDecimal(rfm.monetary), r: rfm.r, f: rfm.f, m: rfm.m, segment: rfm.segment },
  };
}
