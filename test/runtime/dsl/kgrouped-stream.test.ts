import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Serdes, StreamsBuilder, TimeWindows, silentLogger } from '../../../runtime/index.ts';
import { driverSuite } from '../testing/driver-suite.ts';

const S = Serdes.String();
const L = Serdes.Long();
const suite = driverSuite();

describe('KGroupedStream aggregations', () => {
  test('count per key emits every update and materializes the store', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('words', { keySerde: S, valueSerde: S })
      .groupByKey()
      .count({ store: 'word-counts' })
      .toStream()
      .to('counts', { valueSerde: L });
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('words', S, S);
    for (const w of ['a', 'b', 'a', 'a']) input.pipeInput(w, 'x', 1);
    expect(driver.createOutputTopic('counts', S, L).readKeyValuesToList()).toEqual([
      { key: 'a', value: 1 },
      { key: 'b', value: 1 },
      { key: 'a', value: 2 },
      { key: 'a', value: 3 },
    ]);
    const store = driver.getKeyValueStore<string, number>('word-counts');
    expect(store.get('a')).toBe(3);
    expect(store.get('b')).toBe(1);
    expect(store.get('c')).toBeUndefined();
  });

  test('reduce combines values, starting from the first one', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .groupByKey()
      .reduce((agg, v) => `${agg}+${v}`, { store: 'joined' })
      .toStream()
      .to('out');
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', 'a', 1);
    input.pipeInput('k', 'b', 2);
    input.pipeInput('j', 'c', 3);
    expect(driver.createOutputTopic('out', S, S).readKeyValuesToList()).toEqual([
      { key: 'k', value: 'a' },
      { key: 'k', value: 'a+b' },
      { key: 'j', value: 'c' },
    ]);
  });

  test('aggregate folds into an initializer with a JSON store serde', async () => {
    type Stats = { count: number; total: number };
    const builder = new StreamsBuilder();
    builder
      .stream('amounts', { keySerde: S, valueSerde: L })
      .groupByKey()
      .aggregate<Stats>(
        () => ({ count: 0, total: 0 }),
        (_k, v, acc) => ({ count: acc.count + 1, total: acc.total + v }),
        { store: 'stats', valueSerde: Serdes.Json<Stats>() },
      )
      .toStream()
      .to('stats-out');
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('amounts', S, L);
    input.pipeInput('eu', 10, 1);
    input.pipeInput('us', 5, 2);
    input.pipeInput('eu', 7, 3);
    const out = driver.createOutputTopic('stats-out', S, Serdes.Json<Stats>());
    expect(out.readKeyValuesToMap()).toEqual(
      new Map([
        ['eu', { count: 2, total: 17 }],
        ['us', { count: 1, total: 5 }],
      ]),
    );
  });

  test('an aggregation logs every store write to its compacted changelog', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'c', caching: false });
    const driver = await suite.create(builder.build(), { applicationId: 'app1' });
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('a', 'x', 5);
    input.pipeInput('a', 'y', 6);
    await driver.commit();
    const changelog = driver.createOutputTopic('app1-c-changelog', S, L).readRecordsToList();
    expect(changelog.map((r) => [r.key, r.value, r.partition])).toEqual([
      ['a', 1, 0],
      ['a', 2, 0],
    ]);
    expect(driver.compiled.internalTopics).toContainEqual(
      expect.objectContaining({ name: 'app1-c-changelog', kind: 'changelog', config: { 'cleanup.policy': 'compact' } }),
    );
  });

  test('a record without a key goes to the DLQ instead of being dropped', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'c' });
    const driver = await suite.create(builder.build(), { processingExceptionHandler: 'logAndContinue', logger: silentLogger });
    driver.createInputTopic('in', S, S).pipeInput(null, 'x', 1);
    const dlq = driver.createOutputTopic(driver.deadLetterTopic, Serdes.Bytes(), S).readRecordsToList();
    expect(dlq).toHaveLength(1);
    expect(dlq[0]!.headers['streamhouse.error.class']).toBe('NullKeyError');
    expect(dlq[0]!.value).toBe('x');
  });
});

describe('Materialized store options', () => {
  test('with caching on, the changelog and the output get one record per key per commit', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'cached', caching: true }).toStream().to('out', { valueSerde: L });
    const driver = await suite.create(builder.build(), { applicationId: 'app2', commitEachRecord: false });
    const out = driver.createOutputTopic('out', S, L);
    const input = driver.createInputTopic('in', S, S);
    for (let i = 0; i < 5; i++) input.pipeInput('a', 'x', i);
    input.pipeInput('b', 'x', 9);
    const changelog = driver.createOutputTopic('app2-cached-changelog', S, L);
    expect(driver.getKeyValueStore<string, number>('cached').get('a')).toBe(5);
    expect(changelog.isEmpty()).toBe(true);
    expect(out.isEmpty()).toBe(true);
    await driver.commit();
    expect(changelog.readKeyValuesToList()).toEqual([
      { key: 'a', value: 5 },
      { key: 'b', value: 1 },
    ]);
    expect(out.readKeyValuesToList()).toEqual([
      { key: 'a', value: 5 },
      { key: 'b', value: 1 },
    ]);
    input.pipeInput('a', 'x', 10);
    input.pipeInput('a', 'x', 11);
    await driver.commit();
    expect(out.readKeyValuesToList()).toEqual([{ key: 'a', value: 7 }]);
  });

  test('with caching on and commitEachRecord (the default), every update is forwarded, as Kafka\'s TopologyTestDriver does', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'cached' }).toStream().to('out', { valueSerde: L });
    const driver = await suite.create(builder.build(), { applicationId: 'app3' });
    const input = driver.createInputTopic('in', S, S);
    for (let i = 0; i < 3; i++) input.pipeInput('a', 'x', i);
    expect(driver.createOutputTopic('out', S, L).readValuesToList()).toEqual([1, 2, 3]);
  });

  test('a cache size of 0 turns caching off: every update is forwarded even without commits', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'uncached' }).toStream().to('out', { valueSerde: L });
    const driver = await suite.create(builder.build(), { applicationId: 'app4', commitEachRecord: false, cacheMaxBytes: 0 });
    const input = driver.createInputTopic('in', S, S);
    for (let i = 0; i < 3; i++) input.pipeInput('a', 'x', i);
    expect(driver.createOutputTopic('out', S, L).readValuesToList()).toEqual([1, 2, 3]);
  });

  test('a grouped-table aggregation with caching forwards one change per key per commit, subtracting the last forwarded value', async () => {
    const builder = new StreamsBuilder();
    builder
      .table('users', { keySerde: S, valueSerde: S }, { store: 'users' })
      .groupBy((_user, city) => ({ key: city, value: city }), { keySerde: S, valueSerde: S })
      .count({ store: 'per-city' })
      .toStream()
      .to('out', { valueSerde: L });
    const driver = await suite.create(builder.build(), { applicationId: 'app5', commitEachRecord: false });
    const users = driver.createInputTopic('users', S, S);
    users.pipeInput('u1', 'paris', 1);
    users.pipeInput('u2', 'paris', 2);
    users.pipeInput('u1', 'rome', 3);
    await driver.commit();
    const out = driver.createOutputTopic('out', S, L);
    expect(out.readKeyValuesToMap()).toEqual(new Map([['paris', 1], ['rome', 1]]));
    users.pipeInput('u2', 'rome', 4);
    users.pipeInput('u3', 'rome', 5);
    await driver.commit();
    expect(out.readKeyValuesToList()).toEqual([
      { key: 'paris', value: 0 },
      { key: 'rome', value: 3 },
    ]);
  });

  test('logging off leaves the store without changelog topic', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'unlogged', logging: false });
    const driver = await suite.create(builder.build());
    expect(driver.compiled.internalTopics).toEqual([]);
    expect(driver.compiled.subtopologies[0]!.stores[0]!.changelogTopic).toBeNull();
  });

  test('a persistent store keeps its data on LevelDB under the task state folder', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'durable', storeType: 'persistent' });
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', 'x', 1);
    input.pipeInput('k', 'x', 2);
    await driver.commit();
    const store = driver.getKeyValueStore<string, number>('durable');
    expect(store.persistent).toBe(true);
    expect(store.get('k')).toBe(2);
  });

  test('DSL stores are persistent by default, as in Kafka Streams; storeType inMemory keeps one in memory', async () => {
    const builder = new StreamsBuilder();
    const grouped = builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey();
    grouped.count({ store: 'default-kind' });
    grouped.reduce((a, b) => a + b, { store: 'memory-kind', storeType: 'inMemory' });
    grouped.windowedBy(TimeWindows.tumbling({ size: '1m' })).count({ store: 'windowed-kind' });
    const stateDir = await mkdtemp(join(tmpdir(), 'dsl-default-store-'));
    try {
      const driver = await suite.create(builder.build(), { applicationId: 'kinds', stateDir });
      driver.createInputTopic('in', S, S).pipeInput('k', 'x', 1);
      await driver.commit();
      const stores = new Map(driver.compiled.subtopologies[0]!.stores.map((s) => [s.name, s.builder.persistent]));
      expect(stores.get('default-kind')).toBe(true);
      expect(stores.get('memory-kind')).toBe(false);
      expect(stores.get('windowed-kind')).toBe(true);
      expect(driver.getKeyValueStore<string, number>('default-kind').get('k')).toBe(1);
      expect((await readdir(join(stateDir, 'kinds', '0_0'))).sort()).toEqual(expect.arrayContaining(['default-kind', 'windowed-kind']));
      expect(await readdir(join(stateDir, 'kinds', '0_0'))).not.toContain('memory-kind');
    } finally {
      await suite.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
