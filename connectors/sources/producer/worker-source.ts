import { Worker } from 'node:worker_threads';
import type { TopicSpec } from '../../../topologies/topics.ts';
import type { GeneratorOptions } from '../generator/record-generator.ts';
import type { EncodedBatch, RecordSource } from './record-source.ts';

/** What the worker needs to build the same generator and serializer as this thread would. */
export interface WorkerInit {
  generator: GeneratorOptions;
  topics: TopicSpec[];
  format: 'json' | 'avro';
  registryUrl: string;
  /** Schema ids per topic name, registered by this thread (the worker does no I/O). */
  schemaIds: Record<string, number>;
  seed: number;
  batchSize: number;
}

/**
 * Generates and serializes in a worker thread, so that generation and the Kafka client's
 * encoding run on two cores. The worker keeps up to `ahead` batches ready; their bytes are
 * transferred, not copied. The worker is TypeScript, loaded through tsx's ESM hooks.
 */
export class WorkerSource implements RecordSource {
  private readonly worker: Worker;
  private readonly ready: EncodedBatch[] = [];
  private waiting: { resolve: (b: EncodedBatch) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;

  constructor(init: WorkerInit, ahead = 3) {
    const api = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./generator-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    this.worker = new Worker(boot, { eval: true, workerData: { init, ahead } });
    this.worker.on('message', (batch: EncodedBatch) => {
      if (this.waiting) {
        this.waiting.resolve(batch);
        this.waiting = null;
      } else this.ready.push(batch);
    });
    const fail = (err: unknown): void => {
      this.failure ??= err;
      this.waiting?.reject(err);
      this.waiting = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`generator worker exited (code ${code})`)));
  }

  next(): Promise<EncodedBatch> {
    const batch = this.ready.shift();
    if (batch) {
      this.worker.postMessage('more');
      return Promise.resolve(batch);
    }
    if (this.failure) return Promise.reject(this.failure);
    this.worker.postMessage('more');
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
