import { Kafka, logLevel } from 'kafkajs';
import { KafkaStreams, RegistrySchemaResolver, StreamsBuilder, consoleLogger, type Logger, type ProcessingGuarantee } from '../../runtime/index.ts';
import { goldAvroSerdes } from '../gold-contract.ts';
import { addBronzeBridge, type BronzeBridgeOptions } from './bronze-bridge-app.ts';
import { buildMedallion } from '../medallion.ts';
import { pipelineConfig, type PipelineConfig } from '../pipeline-config.ts';
import { featureRoutes } from './feature-routes.ts';
import { ensurePipelineTopics } from './pipeline-topics-admin.ts';
import { deadLetterRejected } from '../rejected-record.ts';

/**
 * The medallion pipeline as one KafkaStreams application: creates the catalog topics it
 * needs, builds the topology, and adds the interactive-query routes (ML features per
 * customer) to the instance's HTTP server. More instances with the same application id
 * share the work through the consumer group. With `bronzeBridge`, the same application
 * also runs the bronze bridge (topologies/bronze-bridge.ts): the Avro bronze topics that
 * the producers and batch sources write feed the pipeline (see bronze-bridge-app.ts).
 */
export interface MedallionAppOptions {
  readonly applicationId: string;
  readonly brokers: string[];
  readonly pipeline?: Partial<PipelineConfig> & { prefix?: string };
  /**
   * Schema registry of the gold topics' values: when set (the platform passes its
   * registry), gold values are Confluent Avro (topologies/gold-contract.ts), their schemas
   * registered under `<topic>-value` at start; unset, JSON rows (or `pipeline.goldSerdes`).
   */
  readonly registryUrl?: string;
  readonly guarantee?: ProcessingGuarantee;
  /** Partitions of the multi-partition pipeline topics when they are created (default: the catalog's). */
  readonly partitions?: number;
  readonly httpHost?: string;
  readonly httpPort?: number;
  readonly httpEnabled?: boolean;
  readonly stateDir?: string;
  readonly logger?: Logger;
  /** Also bridge the Avro bronze topics (named with the pipeline prefix) into the pipeline. */
  readonly bronzeBridge?: BronzeBridgeOptions;
}

export interface MedallionApp {
  readonly streams: KafkaStreams;
  readonly config: PipelineConfig;
  close(): Promise<void>;
}

export async function startMedallionApp(options: MedallionAppOptions): Promise<MedallionApp> {
  const base = pipelineConfig(options.pipeline);
  const registry = options.pipeline?.goldSerdes === undefined ? options.registryUrl : undefined;
  const config = registry === undefined ? base : { ...base, goldSerdes: await goldAvroSerdes(new RegistrySchemaResolver({ url: registry }), base.topics, base.rates.base) };
  const kafka = new Kafka({ clientId: `${options.applicationId}-admin`, brokers: options.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensurePipelineTopics(admin, config.topics, options.partitions);
  } finally {
    await admin.disconnect();
  }
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  const bridge = options.bronzeBridge === undefined ? undefined : await addBronzeBridge(builder, kafka, config, options.pipeline?.prefix ?? '', options.bronzeBridge);
  const topology = builder.build();
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const create = (): KafkaStreams => {
    const streams = new KafkaStreams(
      topology,
      defined({
        applicationId: options.applicationId,
        bootstrapServers: options.brokers,
        processingGuarantee: options.guarantee ?? 'exactly_once',
        httpHost: options.httpHost,
        httpPort: options.httpPort,
        httpEnabled: options.httpEnabled,
        stateDir: options.stateDir,
        logger: options.logger,
        // Records a topology refuses (RejectedRecordError) go to the dead-letter topic with the reason.
        processingExceptionHandler: deadLetterRejected,
      }),
    );
    for (const route of featureRoutes(streams, config)) streams.route(route.method, route.prefix, route.handler);
    bridge?.attach(streams);
    return streams;
  };
  const streams = await startWithRetry(create, options.logger);
  return { streams, config, close: () => streams.close() };
}

/**
 * Starts an instance and waits until it runs. The first start on a fresh cluster creates
 * the internal topics, and a metadata request right after may still meet a partition
 * without a leader, which fails the instance; a new instance then finds the topics ready.
 */
async function startWithRetry(create: () => KafkaStreams, logger: Logger | undefined, attempts = 5): Promise<KafkaStreams> {
  for (let attempt = 1; ; attempt++) {
    const streams = create();
    const outcome = new Promise<'RUNNING' | 'ERROR'>((resolve) => streams.setStateListener((next) => (next === 'RUNNING' || next === 'ERROR' ? resolve(next) : undefined)));
    const started = await streams.start().then(
      () => outcome,
      () => 'ERROR' as const,
    );
    if (started === 'RUNNING') return streams;
    await streams.close().catch(() => undefined);
    if (attempt >= attempts) throw new Error(`the medallion application failed to start ${attempts} times`);
    (logger ?? consoleLogger).warn(`medallion: start attempt ${attempt} failed; retrying`);
    await new Promise((r) => setTimeout(r, 1000 * attempt));
  }
}
