import { readFileSync } from 'node:fs';
import { loadConfig } from '../../deploy/config.ts';
import { LakeSink } from '../../connectors/iceberg/sink/lake-sink.ts';
import { sinkConfig, type LakeSinkConfig } from '../../connectors/iceberg/sink/sink-config.ts';

const USAGE = `usage: streamhouse sink lake --config FILE

FILE is JSON: { "groupId": "...", "tables": [{ "topics": [...], "namespace": ["bronze"],
"table": "orders", "format": "json" | "avro", "schema": <Avro schema, for json>,
"partitionBy": ["day(event_time)"] }], "commitIntervalMs": 30000, "rollBytes": 67108864 }.
Brokers, catalog, registry and object store come from the platform config.`;

/**
 * \`streamhouse sink lake --config FILE\`: consumes topics into Iceberg tables, exactly
 * once, until SIGTERM/SIGINT (then commits what it buffered). Exits 1 if the sink stops
 * on an error; restarting resumes from the offsets in the tables.
 */
export async function run(args: string[]): Promise<number> {
  const [kind, flag, file] = args;
  if (kind !== 'lake' || flag !== '--config' || !file) {
    console.error(USAGE);
    return 2;
  }
  const platform = loadConfig();
  const fromFile = JSON.parse(readFileSync(file, 'utf8')) as Partial<LakeSinkConfig>;
  const config = sinkConfig({
    brokers: platform.kafka.brokers,
    catalogUrl: platform.catalog.url,
    registryUrl: platform.registry.url,
    s3: platform.s3,
    groupId: 'streamhouse-lake-sink',
    tables: [],
    ...fromFile,
  });
  const sink = new LakeSink(config);
  await sink.start();
  console.log(`[lake-sink] running: ${config.tables.map((t) => `${t.topics.join(',')} -> ${t.namespace.join('.')}.${t.table}`).join('; ')}`);
  const stopped = await new Promise<'signal' | 'error'>((resolve) => {
    process.once('SIGTERM', () => resolve('signal'));
    process.once('SIGINT', () => resolve('signal'));
    const poll = setInterval(() => {
      if (sink.error) {
        clearInterval(poll);
        resolve('error');
      }
    }, 500);
  });
  if (stopped === 'error') {
    console.error('[lake-sink] stopped:', sink.error);
    return 1;
  }
  await sink.stop(true);
  return 0;
}
