/**
 * The worker side of WorkerSource: builds the generator and serializer from `workerData`,
 * sends `ahead` batches, then one more for every 'more' message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordGenerator } from '../generator/record-generator.ts';
import { AvroRegistrySerializer } from '../serde/avro-registry-serializer.ts';
import { JsonEventSerializer } from '../serde/json-serializer.ts';
import { BatchEncoder } from './record-source.ts';
import type { WorkerInit } from './worker-source.ts';

const { init, ahead } = workerData as { init: WorkerInit; ahead: number };
const serializer = init.format === 'avro' ? AvroRegistrySerializer.withIds(init.registryUrl, init.topics, init.schemaIds) : new JsonEventSerializer();
const encoder = new BatchEncoder(new RecordGenerator(init.generator), serializer, init.topics, init.generator.kinds, init.seed);
const port = parentPort!;

function send(): void {
  const batch = encoder.encode(init.batchSize);
  const data = batch.data;
  // Transfer the bytes when the batch owns its buffer (a large Buffer.concat does).
  const owns = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  port.postMessage(batch, owns ? [data.buffer as ArrayBuffer] : []);
}

for (let i = 0; i < ahead; i++) send();
port.on('message', () => send());
