import { describe, expect, test } from 'vitest';
import { murmur2, partitionForKey } from '../../../../runtime/task/internal/default-partitioner.ts';

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
});
