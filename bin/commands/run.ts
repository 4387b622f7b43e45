import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../deploy/config.ts';
import type { KafkaStreams } from '../../runtime/index.ts';
import { LakeSink, sinkConfig } from '../../connectors/iceberg/index.ts';
import { startDqMetricsFeed } from '../../topologies/app/dq-metrics-feed.ts';
import { lakeTables } from '../../topologies/app/lake-tables.ts';
import { simulatorRates, startAvroTraffic } from '../../topologies/app/live-traffic.ts';
import { startInstanceProcesses } from '../../topologies/app/instance-processes.ts';
import { startMedallionApp, type MedallionApp } from '../../topologies/app/medallion-app.ts';
import { PlatformMetrics } from '../../topologies/app/platform-metrics.ts';
import { startPlatformServer } from '../../topologies/app/platform-server.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import type { PipelineTopicNames } from '../../topologies/pipeline-topics.ts';

/**
 * The platform's main job (`npm start`): a traffic producer writes live events to bronze,
 * the medallion application runs every layer (silver gate, sessions, gold sales, channels,
 * attribution, RFM, ML features) with exactly-once, and one HTTP server serves /healthz,
 * /readyz, /metrics and the feature queries. `--scale N` adds N − 1 instance processes;
 * a second `npm start` (with another STREAMHOUSE_HTTP_PORT) joins the same consumer group.
 * `--rate N` sets the simulator's clickstream events per second, a mean over a day (a diurnal
 * curve: fewer at night; default 200; 0 produces nothing). DQ scores and
 * alerts become Prometheus metrics; STREAMHOUSE_ALERT_WEBHOOK, if set, receives each alert.
 */
export const APPLICATION_ID = 'streamhouse-medallion';

/** What every instance runs with (all instances of one application build the same topology): the Avro bronze bridge, Avro gold values, the simulator's currencies. */
const platformApp = (config: ReturnType<typeof loadConfig>) => ({ pipeline: { rates: simulatorRates() }, bronzeBridge: { registryUrl: config.registry.url }, registryUrl: config.registry.url });

function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a non-negative integer, got ${JSON.stringify(args[at + 1])}`);
  return value;
}

/** Starts the Iceberg sink of the gold tables when the catalog answers; the lake stays empty otherwise. */
async function startLakeSink(config: ReturnType<typeof loadConfig>, topics: PipelineTopicNames): Promise<{ sink?: LakeSink; status: string }> {
  const reachable = await fetch(`${config.catalog.url.replace(/\/+$/, '')}/v1/config`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!reachable) return { status: `${config.catalog.url} not reachable: the lake sink is not running` };
  try {
    const tables = lakeTables(topics, undefined, '');
    const sink = new LakeSink(sinkConfig({ brokers: config.kafka.brokers, catalogUrl: config.catalog.url, registryUrl: config.registry.url, s3: config.s3, groupId: 'streamhouse-medallion-lake', tables, commitIntervalMs: 10_000 }));
    await sink.start();
    return { sink, status: `${config.catalog.url}   tables ${tables.map((t) => `${t.namespace.join('.')}.${t.table}`).join(', ')} (commits every 10 s)` };
  } catch (err) {
    return { status: `lake sink failed to start: ${(err as Error).message}` };
  }
}

/** One more instance for `--scale N`: the application only (no traffic, lake or server). */
async function runInstanceOnly(config: ReturnType<typeof loadConfig>, stateDir: string, stop: Promise<void>): Promise<number> {
  const app = await startMedallionApp({ ...platformApp(config), applicationId: APPLICATION_ID, brokers: config.kafka.brokers, httpEnabled: false, stateDir });
  console.log(`instance running (${APPLICATION_ID}, pid ${process.pid})`);
  await stop;
  await app.close();
  console.log('instance stopped.');
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const scale = Math.max(1, flag(args, '--scale', 1));
  const rate = flag(args, '--rate', 200);
  const config = loadConfig();
  const pipeline = pipelineConfig({ rates: simulatorRates() });
  const metrics = new PlatformMetrics();
  const apps: MedallionApp[] = [];
  const instances = (): KafkaStreams[] => apps.map((a) => a.streams);
  // Installed before anything starts, so that a Ctrl-C during start-up still stops cleanly.
  const stop = new Promise<void>((resolve) => {
    // `on`, not `once`: one Ctrl-C may arrive several times (the terminal's group, and each
    // parent forwarding it); a repeat must not kill the process in the middle of stopping.
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  const stateDir = join(process.cwd(), '.cache', 'state', String(process.pid));
  if (args.includes('--instance-only')) return runInstanceOnly(config, stateDir, stop);
  const server = await startPlatformServer(config.http.host, config.http.port, metrics, instances, pipeline);
  const extra = startInstanceProcesses(scale - 1, fileURLToPath(new URL('../streamhouse.mjs', import.meta.url)));
  apps.push(await startMedallionApp({ ...platformApp(config), applicationId: APPLICATION_ID, brokers: config.kafka.brokers, httpEnabled: false, stateDir }));

  const lake = await startLakeSink(config, pipeline.topics);
  const dqFeed = await startDqMetricsFeed(config.kafka.brokers, pipeline.topics, metrics, `${APPLICATION_ID}-dq-metrics-${process.pid}`, process.env.STREAMHOUSE_ALERT_WEBHOOK, apps[0]!.config.goldSerdes);
  const traffic = rate === 0 ? undefined : startAvroTraffic({ brokers: config.kafka.brokers, registryUrl: config.registry.url, rate, onProduced: (n) => metrics.produced.inc(n) });
  let consumedSeen = 0;
  const report = setInterval(async () => {
    let consumed = 0;
    for (const s of instances()) for (const v of (await s.metrics.recordsConsumed.get()).values) if (v.labels.topic === pipeline.topics.bronzeEvents) consumed += v.value;
    if (consumed > consumedSeen) metrics.consumed.inc(consumed - consumedSeen);
    consumedSeen = Math.max(consumedSeen, consumed);
  }, 1000);

  const base = `http://${config.http.host}:${config.http.port}`;
  const t = pipeline.topics;
  console.log(`streamhouse is running (${scale} instance${scale > 1 ? 's' : ''} of ${APPLICATION_ID}, traffic ${rate} events/s)
  kafka          ${config.kafka.brokers.join(',')}
  bronze         Avro bronze.*.raw, catalog, profiles, campaigns -> bronze bridge -> ${t.bronzeEvents}, ${t.customerChanges}, ${t.products}; rejected: ${t.bridgeDlq}
  silver         ${t.silverEvents}, ${t.sessions}, ${t.customerDimension} (SCD2), ${t.ordersEnriched}; rejected: ${t.dlq}, ${t.late}, ${t.duplicates}
  gold           ${t.salesPerformance}, ${t.channelPerformance}, ${t.attribution}, ${t.rfm}, ${t.features}
  quality        ${t.dqScores}, ${t.reconciliation}, ${t.alerts}
  features       ${base}/features/<customerId>   (e.g. ${base}/features/u1)
  lake           ${lake.status}
  metrics        ${base}/metrics
  health         ${base}/healthz
Press Ctrl-C to stop.`);

  await stop;
  console.log('stopping...');
  await traffic?.stop();
  clearInterval(report);
  await dqFeed.disconnect();
  await lake.sink?.stop(true).catch((e: Error) => console.error(`[lake-sink] ${e.message}`));
  await extra.stop();
  for (const app of apps) await app.close();
  await new Promise((r) => server.close(r));
  console.log('stopped.');
  return 0;
}
