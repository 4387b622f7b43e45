import { describe, expect, test } from 'vitest';
import { Serdes, StreamsBuilder } from '../../../runtime/index.ts';
import { partitionForKey } from '../../../runtime/task/internal/default-partitioner.ts';
import { driverSuite } from '../testing/driver-suite.ts';

const S = Serdes.String();
const L = Serdes.Long();
const suite = driverSuite();

describe('automatic repartitioning', () => {
  test('selectKey before groupByKey inserts a repartition topic and splits the subtopology', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('orders', { keySerde: S, valueSerde: S })
      .selectKey((_k, v) => v.split(':')[0]!)
      .groupByKey({ keySerde: S, valueSerde: S })
      .count({ store: 'per-category' })
      .toStream()
      .to('category-counts', { valueSerde: L });
    const topology = builder.build();
    const driver = await suite.create(topology, { applicationId: 'shop', partitions: 3 });
    const compiled = driver.compiled;
    expect(compiled.subtopologies.map((s) => s.sourceTopics)).toEqual([['orders'], ['shop-per-category-repartition']]);
    expect(compiled.internalTopics.map((t) => [t.name, t.kind])).toEqual([
      ['shop-per-category-repartition', 'repartition'],
      ['shop-per-category-changelog', 'changelog'],
    ]);
    const input = driver.createInputTopic('orders', S, S);
    // Keys spread over partitions; the new key (category) brings equal categories together.
    const orders = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
    const categories = ['books', 'toys', 'books', 'games', 'books', 'toys'];
    orders.forEach((id, i) => input.pipeInput(id, `${categories[i]}:${i}`, i));
    const final = driver.createOutputTopic('category-counts', S, L).readKeyValuesToMap();
    expect(final).toEqual(
      new Map([
        ['books', 3],
        ['toys', 2],
        ['games', 1],
      ]),
    );
    const repartitioned = driver.createOutputTopic('shop-per-category-repartition', S, S).readRecordsToList();
    expect(repartitioned).toHaveLength(6);
    for (const r of repartitioned) expect(r.partition).toBe(partitionForKey(Buffer.from(r.key), 3));
  });

  test('groupBy repartitions by the selected key; Grouped names the topic', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .groupBy((_k, v) => v.toLowerCase(), { name: 'by-word', keySerde: S })
      .count({ store: 'counts' })
      .toStream()
      .to('out', { valueSerde: L });
    const driver = await suite.create(builder.build(), { applicationId: 'wc', partitions: 2 });
    expect(driver.compiled.internalTopics.map((t) => t.name)).toContain('wc-by-word-repartition');
    const input = driver.createInputTopic('in', S, S);
    for (const w of ['Hello', 'world', 'hello', 'HELLO']) input.pipeInput(w, w, 1);
    expect(driver.createOutputTopic('out', S, L).readKeyValuesToMap()).toEqual(
      new Map([
        ['hello', 3],
        ['world', 1],
      ]),
    );
  });

  test('groupByKey without a key change does not repartition', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .filter(() => true)
      .mapValues((v) => v)
      .groupByKey({ valueSerde: S })
      .count();
    const driver = await suite.create(builder.build());
    expect(driver.compiled.subtopologies).toHaveLength(1);
    expect(driver.compiled.internalTopics.map((t) => t.kind)).toEqual(['changelog']);
  });

  test('repartition() writes through a named topic with a fixed partition count', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .repartition({ name: 'spread', numberOfPartitions: 4 })
      .to('out');
    const driver = await suite.create(builder.build(), { applicationId: 'rp' });
    expect(driver.partitionsOf('rp-spread-repartition')).toBe(4);
    const input = driver.createInputTopic('in', S, S);
    for (let i = 0; i < 20; i++) input.pipeInput(`key-${i}`, `v${i}`, i);
    const through = driver.createOutputTopic('rp-spread-repartition', S, S).readRecordsToList();
    expect(new Set(through.map((r) => r.partition)).size).toBeGreaterThan(1);
    expect(driver.createOutputTopic('out', S, S).readValuesToList().sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
  });

  test('repartition() with a custom partitioner places records where it says', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .repartition({ name: 'last', numberOfPartitions: 3, partitioner: (_t, _k, v, n) => Number(v) % n })
      .to('out');
    const driver = await suite.create(builder.build(), { applicationId: 'cp' });
    const input = driver.createInputTopic('in', S, S);
    for (const v of ['0', '1', '2', '4']) input.pipeInput('k', v, 1);
    const through = driver.createOutputTopic('cp-last-repartition', S, S).readRecordsToList();
    expect(through.map((r) => [r.value, r.partition])).toEqual([
      ['0', 0],
      ['1', 1],
      ['2', 2],
      ['4', 1],
    ]);
  });
});
