import { DLQ_HEADERS, type Headers, type Processor, type ProcessorContext, type RecordMetadata, type StreamRecord } from '../runtime/index.ts';
import type { Decoded } from './bronze-decoding-serde.ts';
import type { BridgeMapping, BridgeTarget } from './logic/bronze/bridge-mapping.ts';
import { LINEAGE_HEADERS } from './topics.ts';

/** Where a bronze record went; the bridge's sinks route on `target`. */
export type BridgeOutput =
  | { readonly target: BridgeTarget; readonly value: object | null }
  | { readonly target: 'deadLetter'; readonly raw: Buffer | null };

export type BridgeOutcome = 'bridged' | 'dead-lettered';

/** Maps one decoded value; `offset` is the record's offset in its partition. */
export type BridgeMapper<T> = (value: T, offset: number) => BridgeMapping;

/** Gives the mapper of one task, at init (so a mapper can use the task's stores). */
export type BridgeMapperFactory<T> = (context: ProcessorContext<Buffer | string | null, BridgeOutput>) => BridgeMapper<T>;

export const BRIDGE_PROCESSOR = 'bronze-bridge';

/**
 * One bronze record in, exactly one record out: the mapped record (keyed by the mapping,
 * the lineage headers kept, `sh-schema-id` set from the Avro frame and `sh-origin` naming
 * the bronze record), or the original key, bytes and headers with the runtime's
 * `streamhouse.error.*` dead-letter headers (class: DECODE_ERROR, NO_CONTRACT or
 * MAPPING_ERROR; message: the reason). So in = bridged + dead-lettered, per topic.
 * `mapperFor` is called at init, so a mapper can use the task's stores.
 */
export class BronzeBridgeProcessor<T> implements Processor<Buffer | null, Decoded<T>, Buffer | string | null, BridgeOutput> {
  private context!: ProcessorContext<Buffer | string | null, BridgeOutput>;
  private map!: BridgeMapper<T>;

  constructor(
    private readonly mapperFor: BridgeMapperFactory<T>,
    private readonly onOutcome?: (topic: string, outcome: BridgeOutcome) => void,
    /** Decodes a failed record again once its schema is loaded (schema versions registered after start). */
    private readonly reload?: (topic: string, failed: Extract<Decoded<T>, { ok: false }>) => Promise<Decoded<T>>,
  ) {}

  init(context: ProcessorContext<Buffer | string | null, BridgeOutput>): void {
    this.context = context;
    this.map = this.mapperFor(context);
  }

  process(record: StreamRecord<Buffer | null, Decoded<T>>): void | Promise<void> {
    const decoded = record.value;
    const meta = this.context.recordMetadata();
    if (!decoded.ok && decoded.schemaId !== undefined && this.reload !== undefined) {
      return this.reload(meta?.topic ?? '', decoded).then((again) => this.route(record, again, meta));
    }
    this.route(record, decoded, meta);
  }

  private route(record: StreamRecord<Buffer | null, Decoded<T>>, decoded: Decoded<T>, meta: RecordMetadata | null): void {
    const topic = meta?.topic ?? '';
    const mapping: BridgeMapping = decoded.ok ? this.safeMap(decoded.value, Number(meta?.offset ?? -1)) : { ok: false, code: 'DECODE_ERROR', reason: decoded.reason };
    if (mapping.ok && decoded.ok) {
      const headers: Headers = { ...record.headers, [LINEAGE_HEADERS.schemaId]: String(decoded.schemaId), [LINEAGE_HEADERS.origin]: `${topic}/${meta?.partition}/${meta?.offset}` };
      this.context.forward({ key: mapping.key, value: { target: mapping.target, value: mapping.value }, timestamp: record.timestamp, headers });
      this.onOutcome?.(topic, 'bridged');
      return;
    }
    const failed = mapping as Extract<BridgeMapping, { ok: false }>;
    const headers: Headers = {
      ...record.headers,
      [DLQ_HEADERS.errorClass]: failed.code,
      [DLQ_HEADERS.errorMessage]: failed.reason,
      [DLQ_HEADERS.sourceTopic]: topic,
      [DLQ_HEADERS.sourcePartition]: String(meta?.partition ?? ''),
      [DLQ_HEADERS.sourceOffset]: String(meta?.offset ?? ''),
      [DLQ_HEADERS.processor]: BRIDGE_PROCESSOR,
    };
    this.context.forward({ key: record.key, value: { target: 'deadLetter', raw: decoded.raw }, timestamp: record.timestamp, headers });
    this.onOutcome?.(topic, 'dead-lettered');
  }

  /** A mapper that throws (a value the schema allows but the mapper did not foresee) is a mapping error, not a crash. */
  private safeMap(value: T, offset: number): BridgeMapping {
    try {
      return this.map(value, offset);
    } catch (err) {
      return { ok: false, code: 'MAPPING_ERROR', reason: (err as Error).message };
    }
  }
}
