import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { LongSerde } from '../../../runtime/serde/long-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { brokerSuite, brokers, createTopics, produceKeys, reached, readCounts } from './streams-support.ts';

const STR = new StringSerde();
const LONG = new LongSerde();

describe('a DSL count with caching on KafkaStreams (real broker)', () => {
  const suite = brokerSuite('task-it-cache');
  const { prefix } = suite;

  it('forwards at most one update per key per commit: fewer records than input, final counts exact', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    await createTopics(suite.admin, [input, output], 2);
    const total = 4000;
    const expected = await produceKeys(suite.kafka, input, 0, total, 20);
    const builder = new StreamsBuilder();
    builder.stream(input, { keySerde: STR, valueSerde: STR }).groupByKey().count({ store: 'counts' }).toStream().to(output, { keySerde: STR, valueSerde: LONG });
    const streams = new KafkaStreams(builder.build(), {
      applicationId: `${prefix}-app`,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      commitIntervalMs: 1000,
      stateDir: suite.stateDir,
      httpPort: 0,
      logger: silentLogger,
    });
    await streams.start();
    try {
      const perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 90_000);
      const finals = new Map([...perKey].map(([k, list]) => [k, list[list.length - 1]]));
      expect(finals).toEqual(expected);
      const records = [...perKey.values()].reduce((n, list) => n + list.length, 0);
      expect(records).toBeLessThan(total / 2);
      // Each key's updates only go up: nothing duplicated or reordered.
      for (const list of perKey.values()) expect(list.every((v, i) => i === 0 || v > list[i - 1]!)).toBe(true);
    } finally {
      await streams.close();
    }
  });
});
