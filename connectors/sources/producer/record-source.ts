import type { TopicSpec } from '../../../topologies/topics.ts';
import type { FaultedRecord } from '../generator/faults.ts';
import { Prng } from '../generator/prng.ts';
import type { GeneratedKind, RecordGenerator } from '../generator/record-generator.ts';
import { topicKey } from '../kafka/topic-key.ts';
import type { EventSerializer } from '../serde/event-serializer.ts';

/** Fault labels by code, as EncodedBatch.faults carries them. */
export const FAULT_CODES: readonly FaultedRecord['fault'][] = ['none', 'late', 'late-beyond-48h', 'duplicate', 'malformed'];

/**
 * Generated records, serialized, in a form that crosses threads cheaply: one byte buffer
 * with every value back to back (`ends[i]` is where value i ends), and per record the
 * index of its topic, its key, its arrival (simulated) time and its fault code.
 */
export interface EncodedBatch {
  /** The values one by one, when the batch stays in this thread (no packing copy). */
  readonly values?: Buffer[];
  readonly topics: Uint8Array;
  readonly keys: string[];
  readonly data: Uint8Array;
  readonly ends: Uint32Array;
  readonly arrivals: Float64Array;
  readonly faults: Uint8Array;
}

/** Where runProducer takes its records from: this thread, or a worker thread. */
export interface RecordSource {
  next(): Promise<EncodedBatch>;
  close(): Promise<void>;
}

/** Encodes the next `size` records of a generator. */
export class BatchEncoder {
  private readonly noise: () => number;
  private readonly topicIndex: Partial<Record<GeneratedKind, number>> = {};

  constructor(
    private readonly generator: RecordGenerator,
    private readonly serializer: EventSerializer,
    private readonly topics: readonly TopicSpec[],
    kinds: readonly GeneratedKind[],
    seed: number,
  ) {
    const prng = new Prng(seed, 'malformed-bytes');
    this.noise = () => prng.float();
    kinds.forEach((k, i) => (this.topicIndex[k] = i));
  }

  /** `pack`: put the values in one buffer (`data`, to transfer to another thread) instead of `values`. */
  encode(size: number, pack = true): EncodedBatch {
    const values: Buffer[] = new Array(size);
    const batch = { topics: new Uint8Array(size), keys: new Array<string>(size), ends: new Uint32Array(size), arrivals: new Float64Array(size), faults: new Uint8Array(size) };
    let end = 0;
    for (let i = 0; i < size; i++) {
      const item = this.generator.next();
      const t = this.topicIndex[item.record.kind];
      if (t === undefined) throw new Error(`no topic for ${item.record.kind} records`);
      const topic = this.topics[t]!;
      const value = item.malformed
        ? this.serializer.malformed(topic, item.record.value, item.malformed, this.noise)
        : this.serializer.serialize(topic, item.record.value);
      values[i] = value;
      batch.topics[i] = t;
      batch.keys[i] = topicKey(topic.schema, item.record.value as unknown as Record<string, unknown>);
      batch.ends[i] = end += value.length;
      batch.arrivals[i] = item.arrival;
      batch.faults[i] = FAULT_CODES.indexOf(item.fault);
    }
    return pack ? { ...batch, data: Buffer.concat(values, end) } : { ...batch, values, data: EMPTY };
  }
}

const EMPTY = new Uint8Array(0);

/** Generates in this thread. */
export class InlineSource implements RecordSource {
  constructor(private readonly encoder: BatchEncoder, private readonly batchSize = 1000) {}

  async next(): Promise<EncodedBatch> {
    return this.encoder.encode(this.batchSize, false);
  }

  async close(): Promise<void> {}
}
