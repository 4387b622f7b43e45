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

/** The arguments kafkajs passes to a partitioner (its PartitionerArgs, the fields read here). */
interface PartitionerArgs {
  topic: string;
  partitionMetadata: readonly { partitionId: number; leader: number }[];
  message: { partition?: number | null; key?: Buffer | string | null };
}

/**
 * kafkajs' default partitioner, the same placement with this file's murmur2: a record's own
 * partition, else `partitionForKey` of its key, else round robin over the partitions with a
 * leader. kafkajs' own computes murmur2 with 64-bit Long objects and filters the partition
 * list for every record, even one that names its partition: 5 % of an exactly-once
 * medallion's CPU, for the 10 records it writes per event.
 */
export function kafkaPartitioner(): () => (args: PartitionerArgs) => number {
  return () => {
    const next = new Map<string, number>();
    return ({ topic, partitionMetadata, message }) => {
      if (message.partition !== null && message.partition !== undefined) return message.partition;
      if (message.key !== null && message.key !== undefined) {
        return partitionForKey(typeof message.key === 'string' ? Buffer.from(message.key) : message.key, partitionMetadata.length);
      }
      const available = partitionMetadata.filter((p) => p.leader >= 0);
      const candidates = available.length > 0 ? available : partitionMetadata;
      const i = next.get(topic) ?? Math.floor(Math.random() * 0x7fffffff);
      next.set(topic, (i + 1) & 0x7fffffff);
      return candidates[i % candidates.length]!.partitionId;
    };
  };
}
