import type { Admin } from 'kafkajs';
import { PIPELINE_TOPICS, type PipelineTopicKey, type PipelineTopicNames } from '../pipeline-topics.ts';

/**
 * Creates the pipeline topics that are missing (partition count and compaction from the
 * catalog, or `partitions` for every multi-partition topic; existing topics are left
 * alone) and waits until every partition has a leader.
 */
export async function ensurePipelineTopics(admin: Admin, names: PipelineTopicNames, partitions?: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const entries = (Object.keys(PIPELINE_TOPICS) as PipelineTopicKey[]).map((k) => ({ name: names[k], spec: PIPELINE_TOPICS[k] }));
  const missing = entries.filter((e) => !existing.has(e.name));
  if (missing.length > 0) {
    await admin
      .createTopics({
        waitForLeaders: true,
        topics: missing.map((e) => ({ topic: e.name, numPartitions: e.spec.partitions === 1 ? 1 : (partitions ?? e.spec.partitions), configEntries: e.spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [] })),
      })
      .catch((err: Error) => {
        if (!/already exists/i.test(err.message)) throw err;
      });
  }
  const all = entries.map((e) => e.name);
  for (let attempt = 0; ; attempt++) {
    const meta = await admin.fetchTopicMetadata({ topics: all }).catch(() => undefined);
    if (meta?.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    if (attempt > 150) throw new Error(`pipeline topics have no leaders yet: ${all.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deletes the pipeline topics and every internal topic of `applicationId` (tests). */
export async function deletePipelineTopics(admin: Admin, names: PipelineTopicNames, applicationId: string): Promise<void> {
  const mine = new Set<string>(Object.values(names));
  const doomed = (await admin.listTopics()).filter((t) => mine.has(t) || t.startsWith(`${applicationId}-`));
  if (doomed.length > 0) await admin.deleteTopics({ topics: doomed }).catch(() => undefined);
}
