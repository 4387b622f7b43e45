import type { Admin } from 'kafkajs';
import type { TopicSpec } from '../../../topologies/topics.ts';

/**
 * Creates the catalog topics that do not exist yet, with their partition count and
 * cleanup policy (existing topics are left as they are), and returns every topic's actual
 * partition count.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<Map<string, number>> {
  const names = [...new Set(specs.map((s) => s.name))];
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((n) => !existing.has(n)).map((n) => specs.find((s) => s.name === n)!);
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    });
  }
  const metadata = await admin.fetchTopicMetadata({ topics: names });
  return new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
}
