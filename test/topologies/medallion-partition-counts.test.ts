import type { Admin, ITopicConfig } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { internalTopicPartitions, type CompiledTopology } from '../../runtime/dsl/internal/compiled-topology.ts';
import { StreamsBuilder } from '../../runtime/index.ts';
import { ensureInternalTopics } from '../../runtime/task/internal/internal-topics.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/*
 * The medallion's internal topics with bronze on 1 partition and every other input on 3:
 * the test driver and the runtime count them alike, every subtopology reads equal counts,
 * and co-partitioning changes nothing here: each topic without a fixed count keeps its
 * writers' count, as before groups of internal topics alone were equalised.
 */
const config = pipelineConfig();
const builder = new StreamsBuilder();
buildMedallion(builder, config);
const compiled = builder.build().compile({ applicationId: 'm' });
const external = (topic: string): number => (topic === config.topics.bronzeEvents ? 1 : 3);

/** A broker holding the external topics, recording what the runtime creates. */
function brokerAdmin(): { admin: Admin; created: Map<string, number> } {
  const created = new Map<string, number>();
  const partitions = (n: number) => Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 1, partitionErrorCode: 0 }));
  const fake = {
    fetchTopicMetadata: async () => ({
      topics: [...compiled.externalSourceTopics.map((t) => [t, external(t)] as const), ...created].map(([name, n]) => ({ name, partitions: partitions(n) })),
    }),
    createTopics: async ({ topics }: { topics: ITopicConfig[] }) => {
      for (const t of topics) created.set(t.topic, t.numPartitions!);
      return true;
    },
  };
  return { admin: fake as unknown as Admin, created };
}

function planOf(c: CompiledTopology) {
  return {
    subtopologies: c.subtopologies.map((s) => ({
      id: s.id,
      sourceTopics: s.sourceTopics,
      sinkTopics: [...new Set(s.sinkTopics.values())],
      changelogs: s.stores.flatMap((st) => (st.changelogTopic === null ? [] : [{ store: st.name, topic: st.changelogTopic }])),
    })),
    repartitionTopics: c.internalTopics.filter((t) => t.kind !== 'changelog').map((t) => ({ topic: t.name, partitions: t.numberOfPartitions })),
  };
}

describe('medallion internal topic partition counts (bronze on 1 partition, other inputs on 3)', () => {
  const driverCounts = internalTopicPartitions(compiled, external);
  const countOf = (topic: string): number => driverCounts.get(topic) ?? external(topic);

  it('are the same in the test driver and in the runtime', async () => {
    const { admin, created } = brokerAdmin();
    const subCounts = await ensureInternalTopics(admin, planOf(compiled), 1, { sleep: async () => undefined });
    expect(Object.fromEntries(created)).toEqual(Object.fromEntries(driverCounts));
    for (const sub of compiled.subtopologies) expect(subCounts.get(sub.id), `subtopology ${sub.id}`).toBe(countOf(sub.sourceTopics[0]!));
  });

  it('give every subtopology equal counts on its inputs, and its changelogs that count', () => {
    for (const sub of compiled.subtopologies) {
      const n = countOf(sub.sourceTopics[0]!);
      expect(sub.sourceTopics.map(countOf), `subtopology ${sub.id}`).toEqual(sub.sourceTopics.map(() => n));
      for (const store of sub.stores) if (store.changelogTopic !== null) expect(driverCounts.get(store.changelogTopic), store.changelogTopic).toBe(n);
    }
  });

  it('keep the fixed counts, and each other topic its writers’ count', () => {
    for (const topic of compiled.internalTopics.filter((t) => t.kind !== 'changelog')) {
      const writers = compiled.subtopologies.filter((s) => [...s.sinkTopics.values()].includes(topic.name));
      const writersCount = Math.max(...writers.map((s) => countOf(s.sourceTopics[0]!)));
      expect(driverCounts.get(topic.name), topic.name).toBe(topic.numberOfPartitions ?? writersCount);
    }
  });
});
