import { createServer } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { loadConfig } from '../../deploy/config.ts';

/**
 * The platform's main job. Until the medallion topologies land, it is a small demo:
 * a producer writes synthetic page views to `streamhouse.demo.events` (6 partitions),
 * a consumer group reads them back, and the instance serves /metrics and /healthz.
 */
export async function run(_args: string[]): Promise<number> {
  const config = loadConfig();
  const topic = 'streamhouse.demo.events';
  const kafka = new Kafka({ clientId: 'streamhouse-demo', brokers: config.kafka.brokers, logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
  await admin.disconnect();

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'streamhouse_' });
  const produced = new Counter({ name: 'streamhouse_demo_produced_total', help: 'Demo events produced', registers: [registry] });
  const consumed = new Counter({ name: 'streamhouse_demo_consumed_total', help: 'Demo events consumed', registers: [registry] });

  const producer = kafka.producer({ idempotent: true });
  const consumer = kafka.consumer({ groupId: 'streamhouse-demo' });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({ eachBatch: async ({ batch }) => consumed.inc(batch.messages.length) });

  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.setHeader('content-type', registry.contentType);
      res.end(await registry.metrics());
    } else if (req.url === '/healthz' || req.url === '/readyz') {
      res.end('ok\n');
    } else {
      res.statusCode = 404;
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.http.port, config.http.host, resolve));

  let seq = 0;
  const timer = setInterval(async () => {
    const messages = Array.from({ length: 50 }, () => {
      const n = seq++;
      return { key: `user-${n % 97}`, value: JSON.stringify({ event_id: n, event_type: 'view', event_time: new Date().toISOString() }) };
    });
    await producer.send({ topic, messages }).then(() => produced.inc(messages.length), (e: Error) => console.error(e.message));
  }, 100);
  const report = setInterval(async () => {
    const p = (await produced.get()).values[0]?.value ?? 0;
    const c = (await consumed.get()).values[0]?.value ?? 0;
    console.log(`[demo] produced ${p}, consumed ${c}`);
  }, 5000);

  console.log(`streamhouse is running
  kafka          ${config.kafka.brokers.join(',')}   (demo topic ${topic})
  object store   ${config.s3.endpoint}   (bucket ${config.s3.bucket})
  metrics        http://${config.http.host}:${config.http.port}/metrics
  health         http://${config.http.host}:${config.http.port}/healthz
Press Ctrl-C to stop.`);

  await new Promise<void>((resolve) => {
    // `on`, not `once`: one Ctrl-C may arrive several times (the terminal's group, and each
    // parent forwarding it); a repeat must not kill the process in the middle of stopping.
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  console.log('stopping...');
  clearInterval(timer);
  clearInterval(report);
  await consumer.disconnect();
  await producer.disconnect();
  await new Promise((r) => server.close(r));
  console.log('stopped.');
  return 0;
}
