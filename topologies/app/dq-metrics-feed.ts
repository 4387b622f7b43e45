import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Counter, Gauge } from 'prom-client';
import { jsonGoldSerdes, type GoldSerdes } from '../gold-contract.ts';
import type { PipelineTopicNames } from '../pipeline-topics.ts';
import type { PlatformMetrics } from './platform-metrics.ts';

/**
 * Publishes the data-quality topics as Prometheus metrics (the Prometheus alert rules in
 * deploy/prometheus/alerts.yml read them) and forwards every alert to an optional webhook
 * (a JSON POST): reads the DQ score, reconciliation and alert topics (read_committed) from
 * their end, so a restart does not replay old alerts. Values are decoded with the gold serdes
 * the application writes them with (JSON rows by default; the platform's are Avro).
 * - `streamhouse_dq_score{layer}`: the score of the latest minute of each layer (0..1);
 * - `streamhouse_reconciliation_balanced`: 1 when the latest reconciled minute balanced;
 * - `streamhouse_reconciliation_failures_total`, `streamhouse_alerts_total{kind}`;
 * - `streamhouse_dq_feed_undecodable_total{topic}`: records skipped because they do not decode.
 */
export async function startDqMetricsFeed(brokers: string[], topics: PipelineTopicNames, metrics: PlatformMetrics, groupId: string, webhook?: string, serdes: GoldSerdes = jsonGoldSerdes): Promise<Consumer> {
  const registers = [metrics.registry];
  const score = new Gauge({ name: 'streamhouse_dq_score', help: 'DQ score (passed checks / all checks) of the latest minute per layer', labelNames: ['layer'], registers });
  const balanced = new Gauge({ name: 'streamhouse_reconciliation_balanced', help: '1 when the latest reconciled minute had bronze = silver + duplicates + DLQ + late', registers });
  const failures = new Counter({ name: 'streamhouse_reconciliation_failures_total', help: 'Reconciled minutes that did not balance', registers });
  const alerts = new Counter({ name: 'streamhouse_alerts_total', help: 'Alerts published to the alerts topic', labelNames: ['kind'], registers });
  const undecodable = new Counter({ name: 'streamhouse_dq_feed_undecodable_total', help: 'Data-quality records the metrics feed could not decode and skipped', labelNames: ['topic'], registers });
  const latest = new Map<string, number>();
  const consumer = new Kafka({ clientId: groupId, brokers, logLevel: logLevel.NOTHING }).consumer({ groupId, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.dqScores, topics.reconciliation, topics.alerts], fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      if (message.value === null) return;
      const serde = topic === topics.dqScores ? serdes.dqScores() : topic === topics.reconciliation ? serdes.reconciliation() : serdes.alerts();
      let v: Record<string, unknown>;
      try {
        v = serde.deserialize(topic, message.value) as unknown as Record<string, unknown>;
      } catch (err) {
        // A record this feed cannot read (an older JSON row in a now-Avro topic) is counted
        // and skipped: a metrics feed must not stop at one record.
        undecodable.inc({ topic });
        console.warn(`[dq-metrics] skipped an undecodable record on ${topic}: ${(err as Error).message}`);
        return;
      }
      if (topic === topics.dqScores) {
        const layer = String(v.layer);
        if ((v.windowStart as number) >= (latest.get(layer) ?? 0)) {
          latest.set(layer, v.windowStart as number);
          score.set({ layer }, Number(v.score));
        }
      } else if (topic === topics.reconciliation) {
        balanced.set(v.balanced === true ? 1 : 0);
        if (v.balanced !== true) failures.inc();
      } else {
        alerts.inc({ kind: String(v.kind) });
        if (webhook !== undefined) await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(v) }).catch(() => undefined);
      }
    },
  });
  return consumer;
}
