import kafkajs, { type Admin, type ITopicConfig } from 'kafkajs';
import { StreamsError } from '../../errors/streams-error.ts';

// kafkajs is CommonJS: Node's ESM loader sees only some of its exports by name, and
// ConfigResourceTypes is not one of them.
const { ConfigResourceTypes } = kafkajs;
import { copartitionedCounts } from '../../dsl/internal/copartition.ts';
import type { TopologyPlan } from './task-handle.ts';
import { createTopicsAndWait, type TopicCreationOptions } from './topic-creation.ts';

/**
 * Works out how many partitions each internal topic needs and creates the missing ones:
 * - a repartition topic gets its fixed count; else, when a subtopology reads it beside
 *   external topics, their largest count (copartition.ts: a join must meet its table);
 *   else the partition count of the subtopology that writes it (the max over its sources);
 * - a changelog gets the partition count of its subtopology's sources (one partition per
 *   task), with its configs: `cleanup.policy=compact`, and for window and session stores
 *   `compact,delete` with `retention.ms` = the store's retention + 1 day;
 * - an output topic (late events) is sized like a repartition topic, with its own configs.
 * External source topics must exist. Creation is idempotent and waits until the metadata
 * shows every partition (createTopicsAndWait). Returns the partition count of every subtopology.
 */
export async function ensureInternalTopics(
  admin: Admin,
  plan: TopologyPlan,
  replicationFactor: number,
  creation?: TopicCreationOptions,
): Promise<Map<number, number>> {
  const metadata = await admin.fetchTopicMetadata({ topics: [] }).catch(() => ({ topics: [] }));
  const counts = new Map<string, number>(metadata.topics.map((t) => [t.name, t.partitions.length]));
  const repartition = new Map(plan.repartitionTopics.map((r) => [r.topic, r.partitions]));
  const configOf = new Map(plan.repartitionTopics.map((r) => [r.topic, r.config ?? {}]));
  for (const [topic, fixed] of repartition) if (fixed !== undefined) counts.set(topic, fixed);
  // Repartition topics read beside external topics match them (a topic that exists keeps its count).
  for (const [topic, n] of copartitionedCounts(plan.subtopologies, repartition, (t) => counts.get(t))) if (!counts.has(topic)) counts.set(topic, n);

  const subCounts = new Map<number, number>();
  // Resolve in rounds: a subtopology's count is known once all its sources are known.
  // When no round makes progress and a cycle through repartition topics remains (a
  // foreign-key join writes and reads both ways), one subtopology whose only unknown
  // sources are repartition topics is sized by its known sources, and rounds go on.
  const resolve = (sub: TopologyPlan['subtopologies'][number], relaxed: boolean): boolean => {
    const known = sub.sourceTopics.map((t) => counts.get(t)).filter((n) => n !== undefined);
    const unknown = sub.sourceTopics.filter((t) => !counts.has(t));
    if (unknown.length > 0 && !(relaxed && known.length > 0 && unknown.every((t) => repartition.has(t)))) return false;
    const n = Math.max(...known);
    subCounts.set(sub.id, n);
    for (const sink of sub.sinkTopics) if (repartition.has(sink) && !counts.has(sink)) counts.set(sink, n);
    return true;
  };
  for (let progress = true; progress; ) {
    progress = false;
    for (const sub of plan.subtopologies) if (!subCounts.has(sub.id) && resolve(sub, false)) progress = true;
    if (!progress) progress = plan.subtopologies.some((sub) => !subCounts.has(sub.id) && resolve(sub, true));
  }
  for (const sub of plan.subtopologies) {
    if (!subCounts.has(sub.id)) {
      const missing = sub.sourceTopics.filter((t) => !counts.has(t) && !repartition.has(t));
      throw new StreamsError('SOURCE_TOPIC_MISSING', `source topic(s) ${missing.join(', ')} of subtopology ${sub.id} do not exist`, {
        context: { topic: missing[0] },
      });
    }
  }

  const existing = new Set(metadata.topics.map((t) => t.name));
  const toCreate: ITopicConfig[] = [];
  for (const [topic] of repartition) {
    if (!existing.has(topic)) toCreate.push({ topic, numPartitions: counts.get(topic)!, replicationFactor, configEntries: entries(configOf.get(topic)!) });
  }
  for (const sub of plan.subtopologies) {
    for (const { topic, config } of sub.changelogs) {
      if (existing.has(topic)) continue;
      toCreate.push({
        topic,
        numPartitions: subCounts.get(sub.id)!,
        replicationFactor,
        configEntries: entries(config ?? { 'cleanup.policy': 'compact' }),
      });
    }
  }
  if (toCreate.length > 0) await createTopicsAndWait(admin, toCreate, creation);
  const purged = plan.repartitionTopics.filter((r) => r.purge && existing.has(r.topic));
  if (purged.length > 0) await alignConfigs(admin, purged.map((r) => ({ topic: r.topic, config: r.config ?? {} })));
  return subCounts;
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
