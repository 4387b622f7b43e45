import type { Admin } from 'kafkajs';
import { restoreAll } from '../../state/batch-restore.ts';
import { checkpointKey } from '../../state/checkpoint-file.ts';
import type { StreamsMetrics } from '../../metrics/streams-metrics.ts';
import type { ChangelogReader } from './changelog-reader.ts';
import type { TaskHandle } from './task-handle.ts';

/** Low and high watermark of each partition of `topics`. */
export async function watermarks(admin: Admin, topics: readonly string[]): Promise<Map<string, { low: bigint; high: bigint }>> {
  const result = new Map<string, { low: bigint; high: bigint }>();
  await Promise.all(
    [...new Set(topics)].map(async (topic) => {
      for (const p of await admin.fetchTopicOffsets(topic)) result.set(`${topic}:${p.partition}`, { low: BigInt(p.low), high: BigInt(p.high) });
    }),
  );
  return result;
}

/**
 * Brings a task's logged stores up to the end of their changelogs before the task
 * processes: from the checkpointed offset for persistent stores that have one, from the
 * start otherwise. Progress goes to the restore metrics.
 */
export async function restoreTask(
  task: TaskHandle,
  changelogs: readonly { store: string; topic: string }[],
  partition: number,
  checkpoint: ReadonlyMap<string, bigint> | undefined,
  deps: { admin: Admin; reader: ChangelogReader; metrics: StreamsMetrics },
): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  if (changelogs.length === 0) return ends;
  const marks = await watermarks(deps.admin, changelogs.map((c) => c.topic));
  for (const { store: name, topic } of changelogs) {
    const store = task.changelogStores.get(name);
    const mark = marks.get(`${topic}:${partition}`);
    if (!store || !mark) continue;
    const checkpointed = store.persistent ? checkpoint?.get(checkpointKey(topic, partition)) : undefined;
    const from = checkpointed !== undefined && checkpointed > mark.low ? checkpointed : mark.low;
    const labels = { task: task.id, store: name };
    const total = mark.high > from ? mark.high - from : 0n;
    deps.metrics.restoreTotal.set(labels, Number(total));
    deps.metrics.restoreRestored.set(labels, 0);
    if (total > 0n) {
      let restored = 0;
      const batches = deps.reader.read(topic, partition, from, mark.high);
      const counted = (async function* () {
        for await (const batch of batches) {
          yield batch;
          restored += batch.length;
          deps.metrics.restoreRestored.set(labels, restored);
        }
      })();
      await restoreAll(store, counted);
      deps.metrics.restoreRestored.set(labels, Number(total));
    }
    ends.set(name, mark.high);
  }
  return ends;
}
