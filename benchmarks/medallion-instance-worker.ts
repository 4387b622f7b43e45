/**
 * An extra instance of medallion-latency.bench.ts's application, in a worker thread of its
 * own (`--instances N` starts N − 1 of them): its own event loop, state folder and clients, the
 * same application id, so the consumer group shares the tasks between the instances. Posts
 * `{ kind: 'running' }` once RUNNING; closes the instance and posts `{ kind: 'closed' }` when
 * the main thread posts 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KafkaStreams, StreamsBuilder, type ProcessingGuarantee } from '../runtime/index.ts';
import { buildMedallion } from '../topologies/medallion.ts';
import { pipelineConfig, type PipelineConfig } from '../topologies/pipeline-config.ts';

export interface InstanceInit {
  readonly applicationId: string;
  readonly brokers: string[];
  readonly prefix: string;
  readonly rates: PipelineConfig['rates'];
  readonly stateDir: string;
  readonly guarantee: ProcessingGuarantee;
  readonly commitIntervalMs: number;
}

const init = workerData as InstanceInit;
const port = parentPort!;
const builder = new StreamsBuilder();
buildMedallion(builder, pipelineConfig({ prefix: init.prefix, rates: init.rates }));
const streams = new KafkaStreams(builder.build(), {
  applicationId: init.applicationId, bootstrapServers: init.brokers, processingGuarantee: init.guarantee,
  commitIntervalMs: init.commitIntervalMs, httpEnabled: false, stateDir: init.stateDir,
});
streams.setStateListener((next) => {
  if (next === 'RUNNING') port.postMessage({ kind: 'running' });
  if (next === 'ERROR') port.postMessage({ kind: 'error' });
});
await streams.start();
port.once('message', () => {
  void streams.close().then(() => port.postMessage({ kind: 'closed' }));
});
