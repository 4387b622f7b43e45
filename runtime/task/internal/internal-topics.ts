import kafkajs, { type Admin, type ITopicConfig } from 'kafkajs';
import { partitionCounts } from '../../dsl/internal/partition-counts.ts';
import type { TopologyPlan } from './task-handle.ts';
import { createTopicsAndWait, type TopicCreationOptions } from './topic-creation.ts';

// kafkajs is CommonJS: Node's ESM loader sees only some of its exports by name, and
// ConfigResourceTypes is not one of them.
const { ConfigResourceTypes } = kafkajs;

/**
 * Works out how many partitions each internal topic needs and creates the missing ones.
 * The counts are partition-counts.ts's, as the test driver's: fixed counts, co-partitioned
 * groups (the sources of a subtopology, including groups of internal topics alone), and
 * writers' counts; a topic that exists keeps its count (it is never resized), and a group
 * whose counts cannot agree fails (TOPICS_NOT_COPARTITIONED). Changelogs get their
 * subtopology's count (one partition per task) and their configs: `cleanup.policy=compact`,
 * and for window and session stores `compact,delete` with `retention.ms` = the store's
 * retention + 1 day; output topics (late events) their own configs. External source
 * topics must exist (SOURCE_TOPIC_MISSING). Creation is idempotent and waits until the
 * metadata shows every partition (createTopicsAndWait). Returns the partition count of
 * every subtopology.
 */
export async function ensureInternalTopics(
  admin: Admin,
  plan: TopologyPlan,
  replicationFactor: number,
  creation?: TopicCreationOptions,
): Promise<Map<number, number>> {
  const metadata = await admin.fetchTopicMetadata({ topics: [] }).catch(() => ({ topics: [] }));
  const onBroker = new Map<string, number>(metadata.topics.map((t) => [t.name, t.partitions.length]));
  const counts = partitionCounts({
    subtopologies: plan.subtopologies.map((s) => ({ ...s, changelogs: s.changelogs.map((c) => c.topic) })),
    written: new Map(plan.repartitionTopics.map((r) => [r.topic, r.partitions])),
    existing: (t) => onBroker.get(t),
  });

  const declared = [
    ...plan.repartitionTopics.map((r) => ({ topic: r.topic, config: r.config ?? {} })),
    ...plan.subtopologies.flatMap((s) => s.changelogs.map((c) => ({ topic: c.topic, config: c.config ?? { 'cleanup.policy': 'compact' } }))),
  ];
  const toCreate: ITopicConfig[] = declared
    .filter((t) => !onBroker.has(t.topic))
    .map((t) => ({ topic: t.topic, numPartitions: counts.topics.get(t.topic)!, replicationFactor, configEntries: entries(t.config) }));
  if (toCreate.length > 0) await createTopicsAndWait(admin, toCreate, creation);
  const purged = plan.repartitionTopics.filter((r) => r.purge && onBroker.has(r.topic));
  if (purged.length > 0) await alignConfigs(admin, purged.map((r) => ({ topic: r.topic, config: r.config ?? {} })));
  return counts.subtopologies;
}

/**
 * Existing repartition topics get the configs they are declared with (`retention.ms=-1`
 * and the rest) when theirs differ: a topic made by an older version with the broker's
 * 7-day time retention would delete a backfill's old-stamped records before they are read.
 * The application owns these topics, so their whole config set is replaced (AlterConfigs).
 */
async function alignConfigs(admin: Admin, topics: { topic: string; config: Readonly<Record<string, string>> }[]): Promise<void> {
  const { resources } = await admin.describeConfigs({
    resources: topics.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.topic, configNames: Object.keys(t.config) })),
    includeSynonyms: false,
  });
  const actual = new Map(resources.map((r) => [r.resourceName, new Map(r.configEntries.map((e) => [e.configName, e.configValue]))]));
  const stale = topics.filter((t) => Object.entries(t.config).some(([k, v]) => actual.get(t.topic)?.get(k) !== v));
  if (stale.length === 0) return;
  await admin.alterConfigs({ validateOnly: false, resources: stale.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.topic, configEntries: entries(t.config) })) });
}

function entries(config: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.entries(config).map(([name, value]) => ({ name, value }));
}

/** The internal topics of a plan (repartition and changelog), e.g. to delete them. */
export function internalTopicNames(plan: TopologyPlan): string[] {
  return [...plan.repartitionTopics.map((r) => r.topic), ...plan.subtopologies.flatMap((s) => s.changelogs.map((c) => c.topic))];
}
