import type { Kafka } from 'kafkajs';
import type { Clock } from '../../../runtime/time/clock.ts';
import type { TopicSpec } from '../../../topologies/topics.ts';
import { RecordGenerator, type GeneratedKind, type GeneratorOptions } from '../generator/record-generator.ts';
import { ensureTopics } from '../kafka/ensure-topics.ts';
import { idempotentProducer } from '../kafka/kafka-client.ts';
import { RecordSink, SINK_DEFAULTS, type RecordSinkOptions } from '../kafka/record-sink.ts';
import { AvroRegistrySerializer } from '../serde/avro-registry-serializer.ts';
import type { EventSerializer } from '../serde/event-serializer.ts';
import { runProducer, type ProduceStats } from './produce-runner.ts';
import { BatchEncoder, InlineSource, type RecordSource } from './record-source.ts';
import { WorkerSource } from './worker-source.ts';

export interface ProduceJobOptions {
  generator: GeneratorOptions;
  /** The topic of each kind the generator emits. */
  topics: Readonly<Partial<Record<GeneratedKind, TopicSpec>>>;
  kafka: Kafka;
  serializer: EventSerializer;
  /** Generate and serialize in a worker thread (needs tsx, as the CLI runs). */
  worker: boolean;
  clock: Clock;
  speed: number;
  count?: number;
  durationMs?: number;
  signal?: AbortSignal;
  producerId: string;
  /** How often onProgress is called, ms of wall time. Default 5000. */
  progressEveryMs?: number;
  onProgress?: (stats: ProduceStats) => void;
  sink?: RecordSinkOptions;
  batchSize?: number;
}

/** Creates the topics, registers the schemas, and runs the generator into Kafka until a stop condition. */
export async function runProduceJob(o: ProduceJobOptions): Promise<ProduceStats> {
  const kinds = o.generator.kinds;
  const topics = kinds.map((k) => {
    const t = o.topics[k];
    if (!t) throw new Error(`no topic for ${k} records`);
    return t;
  });
  const admin = o.kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, topics);
  } finally {
    await admin.disconnect();
  }
  await o.serializer.prepare(topics);
  const batchSize = o.batchSize ?? 1000;
  let source: RecordSource;
  if (o.worker) {
    const avro = o.serializer instanceof AvroRegistrySerializer ? o.serializer : undefined;
    source = new WorkerSource({
      generator: o.generator, topics, format: o.serializer.format, registryUrl: avro?.registryUrl ?? '',
      schemaIds: avro?.schemaIds() ?? {}, seed: o.generator.seed, batchSize,
    });
  } else {
    source = new InlineSource(new BatchEncoder(new RecordGenerator(o.generator), o.serializer, topics, kinds, o.generator.seed), batchSize);
  }
  const producer = idempotentProducer(o.kafka);
  await producer.connect();
  try {
    return await runProducer({
      source, topics, serializer: o.serializer, sink: new RecordSink(producer, o.sink ?? SINK_DEFAULTS), clock: o.clock,
      speed: o.speed, count: o.count, durationMs: o.durationMs, signal: o.signal, producerId: o.producerId, progressEveryMs: o.progressEveryMs, onProgress: o.onProgress,
    });
  } finally {
    await producer.disconnect();
  }
}
