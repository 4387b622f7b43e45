import { parseArgs } from 'node:util';
import { loadConfig } from '../../deploy/config.ts';
import { DEFAULT_TOPIC, startRegistryServer } from '../../schemas/registry/index.ts';

const USAGE = `usage: streamhouse registry [--host H] [--port P] [--topic T]

Runs the Confluent-compatible schema registry on the configured Kafka.
  --host   interface to listen on (default: the host of registry.url, 127.0.0.1)
  --port   port to listen on (default: the port of registry.url, 8081; 0 = any free port)
  --topic  the compacted state topic (default: STREAMHOUSE_REGISTRY_TOPIC or ${DEFAULT_TOPIC})`;

/** `streamhouse registry`: serves until SIGINT/SIGTERM. */
export async function run(args: string[]): Promise<number> {
  let values: { host?: string; port?: string; topic?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { host: { type: 'string' }, port: { type: 'string' }, topic: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`streamhouse registry: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const url = new URL(config.registry.url);
  const port = Number(values.port ?? (url.port || 8081));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`streamhouse registry: --port "${values.port}" is not a port number`);
    return 2;
  }
  const topic = values.topic ?? (process.env.STREAMHOUSE_REGISTRY_TOPIC || DEFAULT_TOPIC);
  const registry = await startRegistryServer({ brokers: config.kafka.brokers, topic, host: values.host ?? url.hostname, port });
  // The first line names the address, so that a parent process can read the chosen port.
  console.log(`schema registry listening on ${registry.url} (topic ${topic}, kafka ${config.kafka.brokers.join(',')})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await registry.close();
  console.log('schema registry stopped.');
  return 0;
}
