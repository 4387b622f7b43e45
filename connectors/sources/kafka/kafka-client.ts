import { hostname } from 'node:os';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';

/** A kafkajs client for the sources, quiet except for errors. */
export function sourceKafka(brokers: readonly string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.ERROR });
}

/**
 * An idempotent producer (acks=all, retries without limit, one request in flight) with
 * the Java client's murmur2 partitioner, so keys land where Kafka Streams expects them.
 */
export function idempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
}

/** `<client id>@<host>`, for lineage headers. */
export function producerId(clientId: string): string {
  return `${clientId}@${hostname()}`;
}
