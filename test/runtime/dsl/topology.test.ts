import { describe, expect, test } from 'vitest';
import { JoinWindows, Serdes, Stores, StreamsBuilder, StreamsError, Topology, TopologyError, TopologyTestDriver, type Processor } from '../../../runtime/index.ts';
import { internalTopicPartitions } from '../../../runtime/dsl/internal/compiled-topology.ts';

const S = Serdes.String();
const noop = (): Processor<unknown, unknown> => ({ process: () => {} });

describe('Topology (Processor API) validation', () => {
  test('rejects duplicate names, unknown or sink parents, and a topic read twice', () => {
    const t = new Topology().addSource('src', 'in').addSink('sink', 'out', {}, 'src');
    expect(() => t.addSource('src', 'other')).toThrow(new TopologyError('node src is already in the topology'));
    expect(() => t.addProcessor('p', noop, 'missing')).toThrow('parent missing of p is not in the topology');
    expect(() => t.addProcessor('p', noop, 'sink')).toThrow('sink sink cannot be the parent of p');
    expect(() => t.addProcessor('p', noop)).toThrow('node p needs at least one parent');
    expect(() => t.addSource('src2', ['x', 'in'])).toThrow('topic in is already read by source src');
  });

  test('a store must be registered before a task can use it, and a global store is unlogged', () => {
    const t = new Topology().addSource('src', 'in', { keySerde: S, valueSerde: S }).addProcessor('p', noop, 'src');
    t.connectProcessorAndStateStores('ghost', 'p');
    expect(() => t.compile({ applicationId: 'a' })).toThrow('store ghost is used but was never registered');
    const logged = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('g'), S, S);
    expect(() => new Topology().addGlobalStore(logged, 'gs', 'g-topic', {}, 'gp', noop)).toThrow('global store g must have logging disabled');
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('dup'), S, S);
    const t2 = new Topology().addSource('s', 'x').addProcessor('p', noop, 's').addStateStore(store, 'p');
    expect(() => t2.addStateStore(store)).toThrow('store dup is already registered');
  });

  test('a missing serde is reported with the node name when the driver starts; defaults fill it', async () => {
    const builder = new StreamsBuilder();
    builder.stream<string, string>('in').to('out');
    await expect(TopologyTestDriver.create(builder.build())).rejects.toThrow('KSTREAM-SOURCE-0000000000 has no key serde and no default is configured');
    const driver = await TopologyTestDriver.create(builder.build(), { defaultKeySerde: S, defaultValueSerde: S });
    driver.createInputTopic('in', S, S).pipeInput('k', 'v', 1);
    expect(driver.createOutputTopic('out', S, S).readKeyValue()).toEqual({ key: 'k', value: 'v' });
    await driver.close();
  });
});

describe('Topology compilation', () => {
  test('stores shared by two processors put them in one subtopology; inputs of one subtopology are co-partitioned', () => {
    const t = new Topology()
      .addSource('a', 'orders')
      .addSource('b', 'payments')
      .addProcessor('pa', noop, 'a')
      .addProcessor('pb', noop, 'b')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('shared'), S, S), 'pa', 'pb')
      .addSource('c', 'other')
      .addProcessor('pc', noop, 'c');
    const compiled = t.compile({ applicationId: 'app' });
    expect(compiled.subtopologies.map((s) => [s.id, s.sourceTopics])).toEqual([
      [0, ['orders', 'payments']],
      [1, ['other']],
    ]);
    expect(compiled.copartitionGroups).toEqual([['orders', 'payments']]);
    expect(compiled.externalSourceTopics).toEqual(['orders', 'payments', 'other']);
    expect(compiled.internalTopics).toEqual([
      { name: 'app-shared-changelog', kind: 'changelog', numberOfPartitions: undefined, config: { 'cleanup.policy': 'compact' } },
    ]);
  });

  test('internal topics take the partition count of their inputs, or their fixed count', () => {
    const builder = new StreamsBuilder();
    const s = builder.stream('in', { keySerde: S, valueSerde: S });
    s.selectKey((_k, v) => v).groupByKey().count({ store: 'by-value' });
    s.repartition({ name: 'fixed', numberOfPartitions: 2 }).selectKey((_k, v) => v).groupByKey({ name: 'again' }).count({ store: 'after-fixed' });
    const compiled = builder.build().compile({ applicationId: 'x' });
    const counts = internalTopicPartitions(compiled, (topic) => (topic === 'in' ? 6 : 0));
    expect(Object.fromEntries(counts)).toEqual({
      'x-by-value-repartition': 6,
      'x-by-value-changelog': 6,
      'x-fixed-repartition': 2,
      'x-again-repartition': 2,
      'x-after-fixed-changelog': 2,
    });
    expect(compiled.externalSourceTopics).toEqual(['in']);
  });

  test('a join of two repartitioned streams co-partitions them: the side without a fixed count takes the fixed one, and the driver joins every key', async () => {
    const topology = (rightPartitions?: number): Topology => {
      const builder = new StreamsBuilder();
      const clicks = builder.stream('clicks', { keySerde: S, valueSerde: S }).selectKey((_k, user) => user);
      const left = clicks.repartition({ name: 'clicks-by-user', numberOfPartitions: 2 });
      const views = builder.stream('views', { keySerde: S, valueSerde: S }).selectKey((_k, user) => user);
      const right = rightPartitions === undefined ? views : views.repartition({ name: 'views-by-user', numberOfPartitions: rightPartitions });
      left.join(right, (l, r) => `${l}+${r}`, JoinWindows.of({ timeDifference: 1_000 }), { name: 'seen' }).to('out', { keySerde: S, valueSerde: S });
      return builder.build();
    };
    const counts = internalTopicPartitions(topology().compile({ applicationId: 'x' }), () => 4);
    expect(Object.fromEntries([...counts].filter(([t]) => t.endsWith('-repartition')))).toEqual({ 'x-clicks-by-user-repartition': 2, 'x-seen-right-repartition': 2 });
    const driver = await TopologyTestDriver.create(topology(), { partitions: 4, defaultKeySerde: S, defaultValueSerde: S });
    const users = Array.from({ length: 8 }, (_, i) => `u${i}`);
    for (const u of users) await driver.createInputTopic('clicks', S, S).pipeInput(`c-${u}`, u, 1_000);
    for (const u of users) await driver.createInputTopic('views', S, S).pipeInput(`v-${u}`, u, 1_000);
    expect(driver.createOutputTopic('out', S, S).readKeyValuesToList()).toEqual(users.map((u) => ({ key: u, value: `${u}+${u}` })));
    await driver.close();
    const conflict = await TopologyTestDriver.create(topology(3), { partitions: 4, defaultKeySerde: S, defaultValueSerde: S }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(StreamsError);
    expect(conflict).toMatchObject({ code: 'TOPICS_NOT_COPARTITIONED' });
    expect((conflict as Error).message).toMatch(/must have the same partition count, but test-app-clicks-by-user-repartition is fixed at 2, test-app-views-by-user-repartition is fixed at 3$/);
  });

  test('changelog configs add to cleanup.policy=compact', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .groupByKey()
      .count({ store: 'c', logConfig: { 'min.compaction.lag.ms': '1000' } });
    const compiled = builder.build().compile({ applicationId: 'y' });
    expect(compiled.internalTopics[0]!.config).toEqual({ 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '1000' });
  });
});
