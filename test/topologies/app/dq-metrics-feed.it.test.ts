import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../deploy/config.ts';
import { InMemorySchemaResolver } from '../../../runtime/index.ts';
import { startDqMetricsFeed } from '../../../topologies/app/dq-metrics-feed.ts';
import { PlatformMetrics } from '../../../topologies/app/platform-metrics.ts';
import { deletePipelineTopics, ensurePipelineTopics } from '../../../topologies/app/pipeline-topics-admin.ts';
import { goldAvroSerdes } from '../../../topologies/gold-contract.ts';
import { pipelineTopics } from '../../../topologies/pipeline-topics.ts';
import type { AlertRow } from '../../../topologies/quality-scores.ts';

/**
 * The DQ metrics feed on a real broker with the gold topics in Confluent Avro (as the
 * platform writes them): the DQ score, the reconciliation and the alerts are decoded with
 * the application's gold serdes into the Prometheus metrics, and the webhook gets the alert
 * as its JSON row. A record it cannot decode is counted and skipped.
 */
const id = `dq-feed-${randomBytes(4).toString('hex')}`;
const topics = pipelineTopics(`${id}.`);
const kafka = new Kafka({ clientId: id, brokers: loadConfig().kafka.brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 60_000);

const T = Date.UTC(2026, 0, 5, 8, 30);
const alert: AlertRow = { alertId: `dq|bronze|${T}|score`, kind: 'dq_threshold', layer: 'bronze', windowStart: T, metric: 'score', observed: '0.500000', threshold: '0.999', message: 'low' };

describe('DQ metrics feed', () => {
  it('reads the Avro DQ topics into the metrics and posts alerts as JSON rows', async () => {
    await admin.connect();
    await ensurePipelineTopics(admin, topics, 1);
    cleanups.push(async () => {
      await deletePipelineTopics(admin, topics, id);
      await admin.disconnect();
    });
    const posted: unknown[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => (posted.push(JSON.parse(body)), res.end()));
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => hook.close(r)));
    const serdes = await goldAvroSerdes(new InMemorySchemaResolver(), topics, 'EUR');
    const metrics = new PlatformMetrics();
    const port = (hook.address() as { port: number }).port;
    const feed = await startDqMetricsFeed(loadConfig().kafka.brokers, topics, metrics, `${id}-feed`, `http://127.0.0.1:${port}/`, serdes);
    cleanups.push(() => feed.disconnect());
    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const value = (key: 'dqScores' | 'reconciliation' | 'alerts', row: unknown) => ({ key: 'k', value: serdes[key]().serialize(topics[key], row as never) });
    const score = { layer: 'bronze', windowStart: T, windowEnd: T + 60_000, records: 2, score: '0.500000', ruleRates: {}, completeness: {}, alerts: [] };
    const reconciliation = { windowStart: T, bronze: 3, silver: 1, duplicates: 0, dlq: 1, late: 0, balanced: false };
    // The feed starts at the end of the topics: send until it has seen all three (the group
    // may still be joining, and the topics' batches arrive in any order).
    const deadline = Date.now() + 120_000;
    const gauge = async () => (await metrics.registry.getSingleMetricAsString('streamhouse_dq_score')).includes('streamhouse_dq_score{layer="bronze"} 0.5');
    const reconciled = async () => /streamhouse_reconciliation_failures_total [1-9]/.test(await metrics.registry.getSingleMetricAsString('streamhouse_reconciliation_failures_total'));
    while (!(posted.length > 0 && (await gauge()) && (await reconciled()))) {
      if (Date.now() > deadline) throw new Error(`feed did not see all three topics in 120 s:\n${await metrics.registry.metrics()}`);
      // An old JSON row ahead of the Avro one: skipped and counted, it must not stop the feed.
      await producer.sendBatch({ topicMessages: [{ topic: topics.dqScores, messages: [{ key: 'k', value: Buffer.from(JSON.stringify(score)) }, value('dqScores', score)] }, { topic: topics.reconciliation, messages: [value('reconciliation', reconciliation)] }, { topic: topics.alerts, messages: [value('alerts', alert)] }] });
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(posted[0]).toEqual(alert);
    expect(await metrics.registry.getSingleMetricAsString('streamhouse_dq_feed_undecodable_total')).toMatch(new RegExp(`streamhouse_dq_feed_undecodable_total\\{topic="${topics.dqScores.replaceAll('.', '\\.')}"\\} [1-9]`));
    expect(await metrics.registry.getSingleMetricAsString('streamhouse_reconciliation_balanced')).toContain('streamhouse_reconciliation_balanced 0');
    expect(await metrics.registry.getSingleMetricAsString('streamhouse_alerts_total')).toMatch(/streamhouse_alerts_total\{kind="dq_threshold"\} [1-9]/);
  });
});
