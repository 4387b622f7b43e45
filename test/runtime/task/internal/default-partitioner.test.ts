import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, test } from 'vitest';
import { kafkaPartitioner, murmur2, partitionForKey } from '../../../../runtime/task/internal/default-partitioner.ts';

describe('default partitioner', () => {
  // Reference values of org.apache.kafka.common.utils.Utils.murmur2 (Kafka's UtilsTest).
  test.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%s) = %i, as Kafka computes it', (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  test('partition = positive hash modulo the partition count', () => {
    expect(partitionForKey(Buffer.from('foobar'), 7)).toBe((-790332482 & 0x7fffffff) % 7);
    for (let n = 1; n < 20; n++) {
      const p = partitionForKey(Buffer.from(`key-${n}`), 6);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(6);
    }
  });

  describe('as the producers\' partitioner', () => {
    const metadata = (n: number, down: number[] = []) =>
      Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: down.includes(partitionId) ? -1 : 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

    test('places every key where kafkajs\' default partitioner does', () => {
      const ours = kafkaPartitioner()();
      const theirs = Partitioners.DefaultPartitioner();
      for (const n of [1, 3, 6, 7, 50]) {
        for (let i = 0; i < 2_000; i++) {
          const bytes = randomBytes(1 + (i % 40));
          for (const key of [bytes, `customer-${i}-${n}`]) {
            const args = { topic: 't', partitionMetadata: metadata(n), message: { key, value: null } };
            expect(ours(args)).toBe(theirs(args));
          }
        }
      }
    });

    test('keeps a record\'s own partition, and spreads keyless records over the partitions with a leader', () => {
      const place = kafkaPartitioner()();
      expect(place({ topic: 't', partitionMetadata: metadata(6), message: { key: Buffer.from('k'), partition: 4 } })).toBe(4);
      const seen = new Set(Array.from({ length: 30 }, () => place({ topic: 't', partitionMetadata: metadata(6, [1, 3]), message: { key: null } })));
      expect([...seen].sort()).toEqual([0, 2, 4, 5]);
    });
  });
});
