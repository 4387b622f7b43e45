import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpHandler } from './internal/http-api.ts';
import { KafkaSchemaLog } from './internal/kafka-log.ts';
import { RegistryService } from './internal/registry-service.ts';
import { RegistryState } from './internal/registry-state.ts';

export interface RegistryServerOptions {
  /** Kafka bootstrap servers, `host:port`. */
  brokers: string[];
  /** The single-partition compacted topic that holds the state. Default `_schemas`. */
  topic?: string;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 8081. */
  port?: number;
}

export const DEFAULT_TOPIC = '_schemas';

export interface RunningRegistry {
  /** http://host:port */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts a Confluent-compatible schema registry: creates the topic if missing, reads it
 * to its end to rebuild the state, and only then listens for HTTP requests.
 */
export async function startRegistryServer(options: RegistryServerOptions): Promise<RunningRegistry> {
  if (options.brokers.length === 0) throw new Error('registry: brokers is empty');
  const state = new RegistryState();
  const log = new KafkaSchemaLog({ brokers: options.brokers, topic: options.topic ?? DEFAULT_TOPIC }, state);
  try {
    await log.start();
  } catch (err) {
    await log.stop();
    throw err;
  }
  const server: Server = createServer(httpHandler(new RegistryService(state, log)));
  // Longer than clients keep idle connections pooled (undici: 4 s), so the server never closes
  // one just as a client reuses it (an ECONNRESET on the next request).
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 8081, host, resolve));
  } catch (err) {
    await log.stop();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await log.stop();
    },
  };
}
