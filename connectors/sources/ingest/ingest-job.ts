import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import type { PlatformConfig } from '../../../deploy/config.ts';
import type { Clock } from '../../../runtime/time/clock.ts';
import { Topics, renamed, type TopicSpec } from '../../../topologies/topics.ts';
import { ensureTopics } from '../kafka/ensure-topics.ts';
import { idempotentProducer, producerId, sourceKafka } from '../kafka/kafka-client.ts';
import { RecordSink } from '../kafka/record-sink.ts';
import { serializerFor } from '../serde/serializer-for.ts';
import { CheckpointStore } from './checkpoint-store.ts';
import { DATASETS } from './datasets.ts';
import { IngestError } from './ingest-error.ts';
import { runIngest, type FileReport } from './ingest-runner.ts';
import type { ProgressState } from './progress-bar.ts';
import type { SourceFormat } from './readers/source-row.ts';
import { listFiles, type SourceFile } from './source-files.ts';
import { resolveLocation, type SourceRoots } from './source-location.ts';

export interface IngestJobOptions {
  dataset: string;
  /** Local paths (files or folders) or s3://bucket/prefix locations. */
  locations: readonly string[];
  config: PlatformConfig;
  roots: SourceRoots;
  /** Folder of the checkpoints. */
  stateDir: string;
  clock: Clock;
  force?: boolean;
  format?: SourceFormat;
  /** json (default) or avro (through the configured registry). */
  valueFormat?: string;
  /** Prefix of both topic names (tests, sandboxes). */
  topicPrefix?: string;
  checkpointEveryRows?: number;
  speed?: number;
  signal?: AbortSignal;
  onProgress?: (state: ProgressState, final: boolean) => void;
}

export interface IngestJobResult {
  target: TopicSpec;
  rejects: TopicSpec;
  files: FileReport[];
}

/** Resolves the locations (inside the roots), connects, ensures the topics, and ingests every file. */
export async function runIngestJob(o: IngestJobOptions): Promise<IngestJobResult> {
  const dataset = DATASETS[o.dataset];
  if (!dataset) throw new IngestError('BAD_OPTION', `unknown dataset "${o.dataset}" (one of ${Object.keys(DATASETS).join(', ')})`);
  if (o.locations.length === 0) throw new IngestError('BAD_OPTION', 'no location to ingest');
  const prefix = o.topicPrefix ?? '';
  const target = renamed(dataset.topic, prefix + dataset.topic.name);
  const rejects = renamed(Topics.rejects, prefix + Topics.rejects.name);
  const resolved = o.locations.map((l) => resolveLocation(l, o.roots));
  const s3 = resolved.some((l) => l.kind === 's3')
    ? new S3Client({
        endpoint: o.config.s3.endpoint, region: o.config.s3.region, forcePathStyle: true,
        credentials: { accessKeyId: o.config.s3.accessKeyId, secretAccessKey: o.config.s3.secretAccessKey },
      })
    : undefined;
  const files: SourceFile[] = [];
  for (const l of resolved) files.push(...(await listFiles(l, s3)));
  if (files.length === 0) throw new IngestError('NOT_FOUND', `no files at ${o.locations.join(', ')}`);

  const serializer = serializerFor(o.valueFormat ?? 'json', o.config);
  const kafka = sourceKafka(o.config.kafka.brokers, 'streamhouse-ingest');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [target, rejects]);
  } finally {
    await admin.disconnect();
  }
  await serializer.prepare([target, rejects]);
  const producer = idempotentProducer(kafka);
  await producer.connect();
  try {
    const reports = await runIngest({
      files, format: o.format, importer: dataset.importer(target), serializer, sink: new RecordSink(producer),
      rejectsTopic: rejects, checkpoints: new CheckpointStore(o.stateDir), force: o.force,
      checkpointEveryRows: o.checkpointEveryRows, speed: o.speed, clock: o.clock, signal: o.signal,
      producerId: producerId('streamhouse-ingest'), runId: randomUUID(), onProgress: o.onProgress,
    });
    return { target, rejects, files: reports };
  } finally {
    await producer.disconnect();
    s3?.destroy();
  }
}
