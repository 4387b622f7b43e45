/**
 * Kafka's default partitioning of keyed records: `toPositive(murmur2(keyBytes)) %
 * numPartitions`, bit for bit as the Java client (and kafkajs' default partitioner), so
 * the test driver places keys where a real producer would.
 *
 * murmur2 (Austin Appleby's MurmurHash2, 32-bit, seed 0x9747b28c): the key is read in
 * little-endian 4-byte words, each mixed into the hash by multiply (m = 0x5bd1e995),
 * xor-shift 24, multiply; the 1-3 tail bytes are xored in, then a final avalanche
 * (xor-shift 13, multiply, xor-shift 15).
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ length) | 0;
  const words = length >> 2;
  for (let i = 0; i < words; i++) {
    const o = i << 2;
    let k = data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return (murmur2(key) & 0x7fffffff) % numPartitions;
}
