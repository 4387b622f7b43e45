/**
 * Chooses the partition of a record written by a sink, as Kafka Streams'
 * StreamPartitioner. Returning `undefined` leaves the choice to the default
 * partitioner (murmur2 of the serialized key, as Kafka's producer does).
 */
export type StreamPartitioner<K, V> = (topic: string, key: K, value: V, numPartitions: number) => number | undefined;
