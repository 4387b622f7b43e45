import kafkajs, { type Admin, type ITopicConfig } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { StreamsError } from '../../../../runtime/errors/streams-error.ts';
import { ensureInternalTopics } from '../../../../runtime/task/internal/internal-topics.ts';
import type { TopologyPlan } from '../../../../runtime/task/internal/task-handle.ts';

const { KafkaJSProtocolError } = kafkajs;

function protocolError(type: string, message: string, retriable: boolean): Error {
  return new KafkaJSProtocolError({ type, message, code: 3, retriable } as unknown as Error);
}

/**
 * A cluster whose metadata lags creation, as kafkajs sees it right after createTopics:
 * the topics exist on the broker, but the next `staleReads` metadata reads (and
 * listTopics) do not show them yet, and createTopics itself fails with
 * UNKNOWN_TOPIC_OR_PARTITION.
 */
class LaggingAdmin {
  readonly topics = new Map<string, ITopicConfig>([['in', { topic: 'in', numPartitions: 2 }]]);
  readonly created: ITopicConfig[] = [];
  private hidden = new Set<string>();
  staleReads = 2;
  createError: Error | undefined = protocolError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition', true);

  async fetchTopicMetadata(): Promise<{ topics: { name: string; partitions: { partitionId: number; leader: number; partitionErrorCode: number }[] }[] }> {
    if (this.staleReads > 0 && this.hidden.size > 0) this.staleReads--;
    else this.hidden.clear();
    const visible = [...this.topics.values()].filter((t) => !this.hidden.has(t.topic));
    return {
      topics: visible.map((t) => ({
        name: t.topic,
        partitions: Array.from({ length: t.numPartitions ?? 1 }, (_, i) => ({ partitionId: i, leader: 1, partitionErrorCode: 0 })),
      })),
    };
  }

  async listTopics(): Promise<string[]> {
    return [...this.topics.keys()].filter((t) => !this.hidden.has(t));
  }

  async createTopics({ topics }: { topics: ITopicConfig[] }): Promise<boolean> {
    for (const t of topics) {
      if (this.topics.has(t.topic)) continue;
      this.topics.set(t.topic, t);
      this.created.push(t);
      this.hidden.add(t.topic);
    }
    const err = this.createError;
    this.createError = undefined;
    if (err) throw err;
    return true;
  }
}

const plan: TopologyPlan = {
  subtopologies: [{ id: 0, sourceTopics: ['in'], sinkTopics: ['app-rep-repartition'], changelogs: [{ store: 's', topic: 'app-s-changelog' }] }],
  repartitionTopics: [{ topic: 'app-rep-repartition', partitions: undefined }],
};
const noWait = { sleep: async () => undefined };

describe('ensureInternalTopics', () => {
  it('retries when createTopics fails on stale metadata, until every partition shows up, creating each topic once', async () => {
    const admin = new LaggingAdmin();
    const counts = await ensureInternalTopics(admin as unknown as Admin, plan, 1, noWait);
    expect(counts.get(0)).toBe(2);
    expect(admin.created.map((t) => [t.topic, t.numPartitions])).toEqual([
      ['app-rep-repartition', 2],
      ['app-s-changelog', 2],
    ]);
  });

  it('gives up after its attempts with a retriable INTERNAL_TOPIC_CREATION_FAILED naming the topics', async () => {
    const admin = new LaggingAdmin();
    admin.staleReads = 100;
    const err = await ensureInternalTopics(admin as unknown as Admin, plan, 1, { ...noWait, attempts: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamsError);
    expect(err).toMatchObject({ code: 'INTERNAL_TOPIC_CREATION_FAILED', retriable: true });
    expect((err as Error).message).toBe(
      'could not create internal topics app-rep-repartition, app-s-changelog: This server does not host this topic-partition',
    );
  });

  it('fails at once, not retriable, on a non-retriable error', async () => {
    const admin = new LaggingAdmin();
    admin.createError = protocolError('INVALID_CONFIG', 'Configuration is invalid', false);
    const err = await ensureInternalTopics(admin as unknown as Admin, plan, 1, noWait).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INTERNAL_TOPIC_CREATION_FAILED', retriable: false });
  });

  it('sizes a repartition topic read beside an external table topic as that topic, not as its writer (a join needs them co-partitioned)', async () => {
    const admin = new LaggingAdmin();
    admin.createError = undefined;
    admin.topics.set('table', { topic: 'table', numPartitions: 5 });
    const joined: TopologyPlan = {
      subtopologies: [
        { id: 0, sourceTopics: ['in'], sinkTopics: ['app-by-key-repartition'], changelogs: [] },
        { id: 1, sourceTopics: ['app-by-key-repartition', 'table'], sinkTopics: [], changelogs: [{ store: 'j', topic: 'app-j-changelog' }] },
      ],
      repartitionTopics: [{ topic: 'app-by-key-repartition', partitions: undefined }],
    };
    const counts = await ensureInternalTopics(admin as unknown as Admin, joined, 1, noWait);
    expect([...counts]).toEqual([[0, 2], [1, 5]]);
    expect(admin.created.map((t) => [t.topic, t.numPartitions])).toEqual([
      ['app-by-key-repartition', 5],
      ['app-j-changelog', 5],
    ]);
  });
});
