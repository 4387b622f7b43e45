import { Serdes, type KStream, type StreamsBuilder } from '../runtime/index.ts';
import { buildCustomerDimension } from './customer-dimension.ts';
import { buildGoldAttribution } from './gold-attribution.ts';
import { buildGoldChannels } from './gold-channels.ts';
import { buildGoldFeatures } from './gold-features.ts';
import { buildGoldRfm } from './gold-rfm.ts';
import { buildGoldSales } from './gold-sales.ts';
import type { InputEvent } from './logic/silver/input-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import { buildReconciliation } from './quality-reconciliation.ts';
import { buildRevenueReconciliation } from './quality-revenue-reconciliation.ts';
import { buildQualityScores } from './quality-scores.ts';
import { buildProductCatalog, buildSilverEnrich } from './silver-enrich.ts';
import { buildSilverGate } from './silver-gate.ts';
import { buildSilverSessions } from './silver-sessions.ts';

/**
 * The whole medallion pipeline in one topology: the silver gate (bronze → silver, DLQ,
 * late, duplicates), the SCD2 customer dimension with the temporal join of orders, the
 * product-catalog joins onto clicks and order lines (a global table), sessions, and the gold outputs (sales performance, channel
 * performance, attribution, RFM, ML features) and data quality (DQ scores, reconciliation,
 * alerts), all reading the silver topic, except gold sales and attribution, which read the
 * gate's accepted events in the gate's order (see gold-sales.ts, gold-attribution.ts).
 */
export function buildMedallion(builder: StreamsBuilder, config: PipelineConfig): void {
  const bronze = buildSilverGate(builder, config, (accepted) => {
    buildGoldSales(builder, accepted, config);
    buildGoldAttribution(builder, accepted, config);
  });
  const silver: KStream<string, InputEvent> = builder.stream(config.topics.silverEvents, { keySerde: Serdes.String(), valueSerde: Serdes.Json<InputEvent>() });
  const catalog = buildProductCatalog(builder, config);
  buildCustomerDimension(builder, silver, catalog, config);
  buildSilverEnrich(builder, silver, catalog, config);
  const sessions = buildSilverSessions(builder, silver, config);
  buildGoldChannels(builder, silver, sessions, config);
  buildGoldRfm(builder, silver, config);
  buildGoldFeatures(builder, silver, config);
  buildQualityScores(builder, bronze as KStream<unknown, Buffer | null>, silver as KStream<unknown, unknown>, config);
  buildReconciliation(builder, bronze as KStream<unknown, unknown>, silver as KStream<unknown, unknown>, config, config.reconciliationSettleMs);
  buildRevenueReconciliation(builder, silver, config, config.reconciliationSettleMs);
}
