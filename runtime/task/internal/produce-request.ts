import { createRequire } from 'node:module';
import { installedKafkajsVersion, PATCHED_KAFKAJS_VERSION } from './kafkajs-version.ts';
import { systemClock } from '../../time/clock.ts';
import { crc32c } from './crc32c.ts';

/**
 * The body of a Produce request (versions 3 to 7, uncompressed record batches), written in
 * one pass into one buffer.
 *
 * Why: kafkajs 2.2.4 encodes every record into its own `Encoder` (a zero-filled 512-byte
 * buffer), copies it into the batch, the batch into the partition, the partition into the
 * topic and the topic into the request, and computes the CRC byte by byte. At 2,000 events/s
 * through the medallion (about 20,000 records/s produced) that was 19 % of the application
 * thread, before the garbage it leaves. `installProduceEncoder()` puts this encoder in its
 * place for uncompressed batches; compressed ones, and other kafkajs versions, keep kafkajs'.
 * The bytes are the same as kafkajs' for what kafkajs encodes correctly (the test compares
 * them): kafkajs orders a batch's timestamps as text, so for timestamps of different digit
 * counts its base timestamp can exceed its max; here it is the numeric minimum. A null header
 * value is sent as a null header (kafkajs throws).
 *
 * Layout (Kafka protocol, non-flexible versions 3–7):
 *
 *   ProduceRequest => transactional_id:NULLABLE_STRING acks:INT16 timeout_ms:INT32 [topic]
 *     topic => name:STRING [partition]
 *       partition => index:INT32 records:BYTES (one record batch)
 *   RecordBatch (magic 2) =>
 *     baseOffset:INT64 batchLength:INT32 partitionLeaderEpoch:INT32 magic:INT8 crc:UINT32
 *     attributes:INT16 lastOffsetDelta:INT32 baseTimestamp:INT64 maxTimestamp:INT64
 *     producerId:INT64 producerEpoch:INT16 baseSequence:INT32 [record]:INT32 count
 *     (crc is CRC-32C of everything from attributes to the end; attributes bit 4 = transactional)
 *   Record => length:VARINT attributes:INT8 timestampDelta:VARLONG offsetDelta:VARINT
 *     key:VARINT-BYTES value:VARINT-BYTES [header]:VARINT count
 *     header => key:VARINT-STRING value:VARINT-BYTES   (VARINT-BYTES length -1 = null)
 *
 * As kafkajs does, the batch's base timestamp is its smallest record timestamp (so deltas are
 * never negative), a record without a timestamp gets the time of encoding, and the partition
 * leader epoch is written as 0 (the broker sets its own).
 */

type Bytes = Buffer | string | null | undefined;

/** A record as kafkajs' producer hands it to the Produce request. */
export interface ProduceMessage {
  key?: Bytes;
  value: Bytes;
  headers?: Record<string, Bytes | Bytes[]>;
  timestamp?: string | number | null;
}

export interface ProducePartitionData {
  partition: number;
  firstSequence?: number;
  messages: readonly ProduceMessage[];
}

export interface ProduceTopicData {
  topic: string;
  partitions: readonly ProducePartitionData[];
}

/** kafkajs passes a producer id as a number, a decimal string or its own Long (`{ value: bigint }`). */
type ProducerId = number | string | bigint | { value: bigint } | undefined;

export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: ProducerId;
  producerEpoch?: number;
  topicData: readonly ProduceTopicData[];
}

const BATCH_HEADER = 61;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const TRANSACTIONAL = 0x10;

/** Encodes the request body. `now` is the timestamp of records without one. */
export function encodeProduceRequest(args: ProduceRequestArgs, now: number): Buffer {
  const transactionalId = args.transactionalId ?? null;
  const sizes: number[] = [];
  let total = 2 + (transactionalId === null ? 0 : Buffer.byteLength(transactionalId)) + 2 + 4 + 4;
  for (const { topic, partitions } of args.topicData) {
    total += 2 + Buffer.byteLength(topic) + 4;
    for (const { messages } of partitions) total += 4 + 4 + batchSize(messages, now, sizes);
  }

  const w = new Writer(Buffer.allocUnsafe(total));
  w.nullableString(transactionalId);
  w.int16(args.acks);
  w.int32(args.timeout);
  w.int32(args.topicData.length);
  const producerId = toBigInt(args.producerId ?? -1);
  // As kafkajs: a batch is transactional when the producer has a (non-empty) transactional id.
  const attributes = transactionalId ? TRANSACTIONAL : 0;
  let next = 0;
  for (const { topic, partitions } of args.topicData) {
    w.string(topic);
    w.int32(partitions.length);
    for (const { partition, firstSequence = 0, messages } of partitions) {
      w.int32(partition);
      const sizeAt = w.at;
      w.int32(0);
      const start = w.at;
      const [first, max] = timestampRange(messages, now);
      w.int64(0n);
      w.int32(0);
      w.int32(0);
      w.int8(2);
      w.int32(0);
      w.int16(attributes);
      w.int32(messages.length - 1);
      w.int64(BigInt(first));
      w.int64(BigInt(max));
      w.int64(producerId);
      w.int16(args.producerEpoch ?? 0);
      w.int32(firstSequence);
      w.int32(messages.length);
      for (let i = 0; i < messages.length; i++) writeRecord(w, messages[i]!, i, timestampOf(messages[i]!, now) - first, sizes[next++]!);
      const end = w.at;
      w.buf.writeInt32BE(end - start, sizeAt);
      w.buf.writeInt32BE(end - start - 12, start + 8);
      w.buf.writeUInt32BE(crc32c(w.buf, start + ATTRIBUTES_AT, end), start + CRC_AT);
    }
  }
  if (w.at !== total) throw new Error(`produce request: wrote ${w.at} bytes, sized ${total}`);
  return w.buf;
}

function batchSize(messages: readonly ProduceMessage[], now: number, sizes: number[]): number {
  const [first] = timestampRange(messages, now);
  let size = BATCH_HEADER;
  for (let i = 0; i < messages.length; i++) {
    const body = recordBodySize(messages[i]!, i, timestampOf(messages[i]!, now) - first);
    sizes.push(body);
    size += uvarintSize(zigzag(body)) + body;
  }
  return size;
}

function recordBodySize(m: ProduceMessage, offsetDelta: number, timestampDelta: number): number {
  let size = 1 + uvarintSize(zigzag(timestampDelta)) + uvarintSize(zigzag(offsetDelta)) + varBytesSize(m.key) + varBytesSize(m.value);
  let count = 0;
  const headers = m.headers ?? {};
  for (const k of Object.keys(headers)) {
    const v = headers[k];
    const values = Array.isArray(v) ? v : [v];
    const keySize = varBytesSize(k);
    for (const one of values) size += keySize + varBytesSize(one);
    count += values.length;
  }
  return size + uvarintSize(zigzag(count));
}

function writeRecord(w: Writer, m: ProduceMessage, offsetDelta: number, timestampDelta: number, body: number): void {
  w.uvarint(zigzag(body));
  w.int8(0);
  w.uvarint(zigzag(timestampDelta));
  w.uvarint(zigzag(offsetDelta));
  w.varBytes(m.key);
  w.varBytes(m.value);
  const headers = m.headers ?? {};
  const names = Object.keys(headers);
  let count = 0;
  for (const k of names) {
    const v = headers[k];
    count += Array.isArray(v) ? v.length : 1;
  }
  w.uvarint(zigzag(count));
  for (const k of names) {
    const v = headers[k];
    for (const one of Array.isArray(v) ? v : [v]) {
      w.varBytes(k);
      w.varBytes(one);
    }
  }
}

function timestampOf(m: ProduceMessage, now: number): number {
  return m.timestamp === null || m.timestamp === undefined ? now : Number(m.timestamp);
}

function timestampRange(messages: readonly ProduceMessage[], now: number): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const m of messages) {
    if (m.timestamp === null || m.timestamp === undefined) continue;
    const t = Number(m.timestamp);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return min === Infinity ? [now, now] : [min, max];
}

/** Zig-zag encoding of a signed integer up to 2^52 in magnitude (a record's varint or varlong field). */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

function varBytesSize(v: Bytes): number {
  if (v === null || v === undefined) return 1;
  const length = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  return uvarintSize(zigzag(length)) + length;
}

function toBigInt(id: NonNullable<ProducerId>): bigint {
  if (typeof id === 'bigint') return id;
  if (typeof id === 'object') return id.value;
  return BigInt(id);
}

/** A write cursor over a buffer sized beforehand. */
class Writer {
  at = 0;
  constructor(readonly buf: Buffer) {}

  int8(v: number): void {
    this.buf[this.at++] = v & 0xff;
  }
  int16(v: number): void {
    this.at = this.buf.writeInt16BE(v, this.at);
  }
  int32(v: number): void {
    this.at = this.buf.writeInt32BE(v, this.at);
  }
  int64(v: bigint): void {
    this.at = this.buf.writeBigInt64BE(v, this.at);
  }
  uvarint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.at++] = n;
  }
  string(s: string): void {
    const length = Buffer.byteLength(s);
    this.int16(length);
    this.at += this.buf.write(s, this.at, length, 'utf8');
  }
  nullableString(s: string | null): void {
    if (s === null) this.int16(-1);
    else this.string(s);
  }
  varBytes(v: Bytes): void {
    if (v === null || v === undefined) {
      this.uvarint(zigzag(-1));
      return;
    }
    if (typeof v === 'string') {
      const length = Buffer.byteLength(v);
      this.uvarint(zigzag(length));
      this.at += this.buf.write(v, this.at, length, 'utf8');
      return;
    }
    this.uvarint(zigzag(v.length));
    this.at += v.copy(this.buf, this.at);
  }
}

const NO_COMPRESSION = 0;

interface KafkajsRequest {
  encode: () => Promise<unknown>;
}
type KafkajsProtocol = (args: { version: number | string }) => ((args: ProduceRequestArgs & { compression?: number }) => { request: KafkajsRequest; response: unknown }) | undefined;

let installed: boolean | undefined;

/**
 * Makes kafkajs' producers encode uncompressed Produce requests (versions 3 to 7) with
 * `encodeProduceRequest`; installed once per process, on kafkajs 2.2.4 only. Returns whether
 * it is installed.
 */
export function installProduceEncoder(): boolean {
  if (installed !== undefined) return installed;
  installed = installedKafkajsVersion() === PATCHED_KAFKAJS_VERSION;
  if (!installed) return false;
  const require = createRequire(import.meta.url);
  const produce = require('kafkajs/src/protocol/requests/produce/index.js') as { protocol: KafkajsProtocol };
  const original = produce.protocol;
  produce.protocol = ({ version }) => {
    const build = original({ version });
    if (build === undefined || Number(version) < 3) return build;
    return (args) => {
      const built = build(args);
      if ((args.compression ?? NO_COMPRESSION) !== NO_COMPRESSION) return built;
      return { ...built, request: { ...built.request, encode: () => Promise.resolve(asEncoder(encodeProduceRequest(args, systemClock.now()))) } };
    };
  };
  return true;
}

/** What kafkajs' request framing reads from an encoded body (`Encoder.writeEncoder`). */
function asEncoder(buf: Buffer): { buf: Buffer; buffer: Buffer; size: () => number } {
  return { buf, buffer: buf, size: () => buf.length };
}
