/**
 * The streamhouse side of the runtime benchmark, one instance per process (like the Java
 * reference). Arguments, in the Java app's order: bootstrap, application id, input,
 * output, guarantee, commit interval ms, cache bytes, state dir, mode (count | passthrough).
 * The count is the DSL's groupByKey().count() on a persistent (LevelDB), cached store,
 * forwarding one update per key per commit, as Kafka Streams' cached KTable.
 * Prints `STATE <state>` on every change; closes on SIGTERM.
 */
import { silentLogger } from '../../runtime/errors/logger.ts';
import { StreamsBuilder } from '../../runtime/dsl/streams-builder.ts';
import { Serdes } from '../../runtime/serde/serdes.ts';
import type { Topology } from '../../runtime/dsl/topology.ts';
import { KafkaStreams } from '../../runtime/task/kafka-streams.ts';

const [bootstrap, applicationId, input, output, guarantee, commitMs, cacheBytes, stateDir, mode = 'count'] = process.argv.slice(2) as string[];

export function benchTopology(mode: string, input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  const stream = builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  if (mode === 'passthrough') {
    stream.to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  } else {
    stream
      .groupByKey()
      .count({ store: 'counts', storeType: 'persistent', caching: true })
      .toStream()
      .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  }
  return builder.build();
}

const streams = new KafkaStreams(benchTopology(mode, input!, output!), {
  applicationId: applicationId!,
  bootstrapServers: bootstrap!.split(','),
  processingGuarantee: guarantee === 'exactly_once' ? 'exactly_once' : 'at_least_once',
  commitIntervalMs: Number(commitMs),
  cacheMaxBytes: Number(cacheBytes),
  stateDir: stateDir!,
  httpEnabled: false,
  logger: silentLogger,
});
streams.setStateListener((state) => console.log(`STATE ${state}`));
process.on('SIGTERM', () => {
  streams.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
await streams.start();
