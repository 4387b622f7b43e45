import type { Admin } from 'kafkajs';
import type { TopicSpec } from '../../../topologies/topics.ts';

/**
 * Creates the catalog topics that do not exist yet, with their partition count and
 * cleanup policy. Existing topics are left as they are.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s, i) => !existing.has(s.name) && specs.findIndex((o) => o.name === s.name) === i);
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((s) => ({
      topic: s.name,
      numPartitions: s.partitions,
      configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    })),
  });
}
