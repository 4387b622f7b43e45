import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { LongSerde } from '../../../runtime/serde/long-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { SessionWindows } from '../../../runtime/windows/session-windows.ts';
import { TimeWindows } from '../../../runtime/windows/time-windows.ts';
import { brokerSuite, brokers, createTopics } from './streams-support.ts';

const STR = new StringSerde();
const LONG = new LongSerde();
const DAY = 86_400_000;

async function topicConfigs(admin: Admin, topic: string): Promise<Record<string, string>> {
  const { resources } = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy', 'retention.ms'] }],
    includeSynonyms: false,
  });
  return Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
}

describe('internal topics are created with their configs (real broker)', () => {
  const suite = brokerSuite('task-it-cfg');
  const { prefix } = suite;

  it('window and session changelogs: compact,delete with retention + 1 day; key-value: compact; late events: delete, 30 days', async () => {
    const input = `${prefix}-in`;
    const app = `${prefix}-app`;
    await createTopics(suite.admin, [input], 2);
    const builder = new StreamsBuilder();
    const grouped = builder.stream(input, { keySerde: STR, valueSerde: STR }).groupByKey();
    grouped.count({ store: 'totals', valueSerde: LONG });
    grouped.windowedBy(TimeWindows.tumbling({ size: '1m', grace: '1h' })).count({ store: 'per-minute', valueSerde: LONG });
    grouped.windowedBy(SessionWindows.withInactivityGap({ inactivityGap: '5m', grace: '2h' })).count({ store: 'sessions', valueSerde: LONG });
    const streams = new KafkaStreams(builder.build(), {
      applicationId: app,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      stateDir: suite.stateDir,
      httpPort: 0,
      logger: silentLogger,
    });
    await streams.start();
    try {
      expect(await topicConfigs(suite.admin, `${app}-totals-changelog`)).toMatchObject({ 'cleanup.policy': 'compact' });
      expect(await topicConfigs(suite.admin, `${app}-per-minute-changelog`)).toEqual({
        'cleanup.policy': 'compact,delete',
        'retention.ms': String(60_000 + 3_600_000 + DAY),
      });
      expect(await topicConfigs(suite.admin, `${app}-sessions-changelog`)).toEqual({
        'cleanup.policy': 'compact,delete',
        'retention.ms': String(300_000 + 7_200_000 + DAY),
      });
      expect(await topicConfigs(suite.admin, `${app}-late-events`)).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY) });
      const meta = await suite.admin.fetchTopicMetadata({ topics: [`${app}-late-events`] });
      expect(meta.topics[0]!.partitions).toHaveLength(2);
    } finally {
      await streams.close();
    }
  });
});
