import type { Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import { RegistrySchemaResolver, type KafkaStreams, type StreamsBuilder } from '../../runtime/index.ts';
import { ensureTopics } from '../../connectors/sources/kafka/ensure-topics.ts';
import { buildBronzeBridge } from '../bronze-bridge.ts';
import type { BridgeOutcome } from '../bronze-bridge-processor.ts';
import type { PipelineConfig } from '../pipeline-config.ts';
import { Topics, renamed, type TopicSpec } from '../topics.ts';

export interface BronzeBridgeOptions {
  /** The schema registry the producers register with (Confluent REST API). */
  readonly registryUrl: string;
}

/**
 * Adds the bronze bridge to the medallion application's topology, as subtopologies of the
 * same application (not an application of its own): the bridge is stateless but for the
 * spend totals, so it scales with the same instances; its output to the pipeline's bronze
 * topics commits in the same exactly-once transactions; and `npm start`, `--scale N` and
 * the tests start, stop and monitor one application. Creates the Avro bronze topics (the
 * catalog's partitions and policies, with the pipeline prefix) if missing.
 *
 * Metrics: `streamhouse_bronze_bridge_records_total{topic, outcome}` (outcome `bridged` or
 * `dead-lettered`) in the instance's registry, so per topic in = bridged + dead-lettered.
 * Like every processor metric it counts processing: a task replayed after a failed
 * exactly-once commit counts its records again.
 */
export async function addBronzeBridge(builder: StreamsBuilder, kafka: Kafka, config: PipelineConfig, prefix: string, options: BronzeBridgeOptions): Promise<{ attach(streams: KafkaStreams): void }> {
  const b = Topics.bronze;
  const specs: Record<'sales' | 'clickstream' | 'campaigns' | 'customers' | 'products', TopicSpec> = { sales: b.sales, clickstream: b.clickstream, campaigns: b.campaigns, customers: b.customers, products: b.products };
  const sources = Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, prefix + s.name])) as Record<keyof typeof specs, string>;
  const admin = kafka.admin();
  await admin.connect();
  const wanted = Object.entries(specs).map(([k, s]) => renamed(s, sources[k as keyof typeof specs]));
  try {
    // Idempotent, so retried: instances of `--scale N` start together (one may create a topic
    // between another's look and create), and a loaded broker may not know a new topic yet.
    for (let attempt = 1; ; attempt++) {
      const failed = await ensureTopics(admin, wanted).then(() => undefined, (err: Error) => err);
      if (failed === undefined) break;
      if (attempt >= 5) throw failed;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  } finally {
    await admin.disconnect();
  }
  let counter: Counter<'topic' | 'outcome'> | undefined;
  const onOutcome = (topic: string, outcome: BridgeOutcome): void => counter?.inc({ topic, outcome });
  buildBronzeBridge(builder, { sources, topics: config.topics, resolver: new RegistrySchemaResolver({ url: options.registryUrl }), onOutcome });
  return {
    attach(streams: KafkaStreams): void {
      counter = new Counter({
        name: 'streamhouse_bronze_bridge_records_total',
        help: 'Avro bronze records the bronze bridge processed, by input topic and outcome (bridged to the pipeline or dead-lettered).',
        labelNames: ['topic', 'outcome'],
        registers: [streams.metrics.registry],
      });
    },
  };
}
