import { createRequire } from 'node:module';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { crc32c } from '../../../../runtime/task/internal/crc32c.ts';
import { encodeProduceRequest, installProduceEncoder, type ProduceMessage, type ProduceRequestArgs } from '../../../../runtime/task/internal/produce-request.ts';

const require = createRequire(import.meta.url);
/** kafkajs' own encoders, loaded from their files (the install patches only the version table). */
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buf: Buffer) => number;
const kafkajsProduceV7 = require('kafkajs/src/protocol/requests/produce/v7/request.js') as (args: unknown) => { encode: () => Promise<{ buffer: Buffer }> };
const Long = require('kafkajs/src/utils/long.js') as { fromValue: (v: unknown) => { value: bigint } };

async function kafkajsBytes(args: ProduceRequestArgs): Promise<Buffer> {
  return (await kafkajsProduceV7({ compression: 0, ...args }).encode()).buffer;
}

/** Both encodings are the same bytes; on a difference, names its first offset. */
async function expectKafkajsBytes(args: ProduceRequestArgs): Promise<void> {
  const ours = encodeProduceRequest(args, Date.now());
  const theirs = await kafkajsBytes(args);
  let first = 0;
  while (first < Math.min(ours.length, theirs.length) && ours[first] === theirs[first]) first++;
  expect({ length: ours.length, firstDifference: first }).toEqual({ length: theirs.length, firstDifference: theirs.length });
}

/** A deterministic byte source, so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('crc32c', () => {
  // RFC 3720 (iSCSI), appendix B.4, and the usual check value of CRC-32C.
  test.each([
    ['123456789', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', Buffer.alloc(32), 0x8a9136aa],
    ['32 bytes of 0xff', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['bytes 0..31', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['bytes 31..0', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ['nothing', Buffer.alloc(0), 0],
  ])('of %s is the published value', (_name, bytes, expected) => {
    expect(crc32c(bytes)).toBe(expected);
  });

  test('equals kafkajs\' byte-at-a-time CRC on every length from 0 to 300, and on a sub-range', () => {
    const next = prng(7);
    const bytes = Buffer.from(Array.from({ length: 310 }, () => Math.floor(next() * 256)));
    for (let n = 0; n <= 300; n++) expect(crc32c(bytes.subarray(0, n)), `length ${n}`).toBe(kafkajsCrc32c(bytes.subarray(0, n)));
    expect(crc32c(bytes, 5, 301)).toBe(kafkajsCrc32c(bytes.subarray(5, 301)));
  });
});

describe('encodeProduceRequest', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const base = 1_764_000_000_000;

  test('writes the same bytes as kafkajs for records with buffers, strings, nulls and headers', async () => {
    const messages: ProduceMessage[] = [
      { key: Buffer.from('k1'), value: Buffer.from('{"a":1}'), timestamp: String(base + 5) },
      { key: null, value: 'plain string ünïcode', timestamp: String(base) },
      { key: 'string key', value: null, timestamp: String(base + 70_000), headers: { source: 'simulator', schema: Buffer.from([0, 0, 0, 1]) } },
      { value: Buffer.alloc(0), timestamp: String(base + 2), headers: { multi: ['a', Buffer.from('b')], empty: '' } },
    ];
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      transactionalId: 'app-0_1',
      producerId: Long.fromValue('4242'),
      producerEpoch: 3,
      topicData: [
        { topic: 'orders', partitions: [{ partition: 2, firstSequence: 17, messages }] },
        { topic: 'tópico', partitions: [{ partition: 0, firstSequence: 0, messages: messages.slice(1, 2) }, { partition: 5, messages: messages.slice(0, 1) }] },
      ],
    };
    await expectKafkajsBytes(args);
  });

  test('writes the same bytes as kafkajs for large values, many records and an idempotent (non-transactional) producer', async () => {
    const next = prng(11);
    const messages: ProduceMessage[] = Array.from({ length: 700 }, (_, i) => ({
      key: Buffer.from(`customer-${i % 37}`),
      // Lengths across the one-, two- and three-byte varint boundaries (64, 8,192).
      value: Buffer.alloc([0, 1, 63, 64, 65, 200, 8_191, 8_192, 20_000][i % 9]!, Math.floor(next() * 256)),
      timestamp: String(base + Math.floor(next() * 3_600_000)),
      ...(i % 3 === 0 ? { headers: { 'streamhouse.lineage': `file-${i}` } } : {}),
    }));
    const args: ProduceRequestArgs = { acks: -1, timeout: 1_000, transactionalId: null, producerId: 99, producerEpoch: 0, topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 1_000_000, messages }] }] };
    await expectKafkajsBytes(args);
  });

  test('an empty transactional id makes no transactional batch, as kafkajs does', async () => {
    await expectKafkajsBytes({ acks: -1, timeout: 1, transactionalId: '', producerId: 3, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', timestamp: String(base) }] }] }] });
  });

  test('gives records without a timestamp the time of encoding, as kafkajs does', async () => {
    vi.useFakeTimers({ now: base + 123 });
    const messages: ProduceMessage[] = [{ key: 'a', value: 'x' }, { key: 'b', value: 'y', timestamp: String(base) }];
    const args: ProduceRequestArgs = { acks: 1, timeout: 500, producerId: -1, topicData: [{ topic: 't', partitions: [{ partition: 1, messages }] }] };
    await expectKafkajsBytes(args);
    await expectKafkajsBytes({ ...args, topicData: [{ topic: 't', partitions: [{ partition: 1, messages: messages.slice(0, 1) }] }] });
  });

  test('the batch carries a valid CRC, its record count and the transactional attribute', () => {
    const args: ProduceRequestArgs = { acks: -1, timeout: 1, transactionalId: 'x', producerId: 5n, producerEpoch: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', timestamp: base }] }] }] };
    const buf = encodeProduceRequest(args, base);
    // transactional id (2 + 1) + acks 2 + timeout 4 + topics 4 + name (2 + 1) + partitions 4 + index 4 + size 4
    const batch = buf.subarray(2 + 1 + 2 + 4 + 4 + 2 + 1 + 4 + 4 + 4);
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    expect(batch.readInt8(16)).toBe(2);
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
    expect(batch.readInt16BE(21) & 0x10).toBe(0x10);
    expect(batch.readBigInt64BE(43)).toBe(5n);
    expect(batch.readInt32BE(57)).toBe(1);
  });

  test('once installed, kafkajs\' Produce v3–v7 use it for uncompressed batches and keep their own for compressed ones', async () => {
    const produce = require('kafkajs/src/protocol/requests/produce/index.js') as {
      protocol: (v: { version: number }) => (args: unknown) => { request: { apiVersion: number; encode: () => Promise<{ buffer: Buffer; writeInt8?: unknown }> } };
    };
    expect(installProduceEncoder()).toBe(true);
    const args: ProduceRequestArgs = { acks: -1, timeout: 5, transactionalId: null, producerId: -1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', timestamp: base }] }] }] };
    for (const version of [3, 4, 5, 6, 7]) {
      const { request } = produce.protocol({ version })({ ...args, compression: 0 });
      const encoded = await request.encode();
      expect(request.apiVersion).toBe(version);
      expect(encoded.writeInt8, `v${version} is ours`).toBeUndefined();
      expect(encoded.buffer.equals(encodeProduceRequest(args, base))).toBe(true);
    }
    const gzip = await produce.protocol({ version: 7 })({ ...args, compression: 1 }).request.encode();
    expect(typeof gzip.writeInt8).toBe('function');
  });
});
