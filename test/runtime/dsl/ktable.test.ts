import { describe, expect, test } from 'vitest';
import {
  Serdes,
  StreamsBuilder,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type StreamRecord,
} from '../../../runtime/index.ts';
import { driverSuite } from '../testing/driver-suite.ts';

const S = Serdes.String();
const L = Serdes.Long();
const suite = driverSuite();

describe('KTable', () => {
  test('a table from a topic keeps the latest value per key; a null value deletes', async () => {
    const builder = new StreamsBuilder();
    builder.table('users', { keySerde: S, valueSerde: S }, { store: 'users-store' }).toStream().to('users-out');
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('users', S, S);
    input.pipeInput('u1', 'ann', 1);
    input.pipeInput('u2', 'bob', 2);
    input.pipeInput('u1', 'anna', 3);
    input.pipeInput('u2', null, 4);
    const store = driver.getKeyValueStore<string, string>('users-store');
    expect(store.get('u1')).toBe('anna');
    expect(store.get('u2')).toBeUndefined();
    expect(driver.createOutputTopic('users-out', S, S).readKeyValuesToList()).toEqual([
      { key: 'u1', value: 'ann' },
      { key: 'u2', value: 'bob' },
      { key: 'u1', value: 'anna' },
      { key: 'u2', value: null },
    ]);
  });

  test('filter turns rows that stop matching into deletes; filterNot is its opposite', async () => {
    const builder = new StreamsBuilder();
    const prices = builder.table('prices', { keySerde: S, valueSerde: L });
    prices.filter((_k, v) => v >= 100, { store: 'expensive' }).toStream().to('expensive');
    prices.filterNot((_k, v) => v >= 100).toStream().to('cheap');
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('prices', S, L);
    input.pipeInput('a', 150, 1);
    input.pipeInput('b', 20, 2);
    input.pipeInput('a', 50, 3);
    expect(driver.createOutputTopic('expensive', S, L).readKeyValuesToList()).toEqual([
      { key: 'a', value: 150 },
      { key: 'a', value: null },
    ]);
    // 'a' at 150 never matched filterNot: nothing to delete, so nothing is forwarded.
    expect(driver.createOutputTopic('cheap', S, L).readKeyValuesToList()).toEqual([
      { key: 'b', value: 20 },
      { key: 'a', value: 50 },
    ]);
    expect(driver.getKeyValueStore<string, number>('expensive').get('a')).toBeUndefined();
  });

  test('mapValues transforms each row, materialized on request', async () => {
    const builder = new StreamsBuilder();
    builder
      .table('names', { keySerde: S, valueSerde: S })
      .mapValues((v) => v.length, { store: 'name-lengths', valueSerde: L })
      .toStream()
      .to('lengths');
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('names', S, S);
    input.pipeInput('x', 'abc', 1);
    input.pipeInput('y', 'hello', 2);
    expect(driver.createOutputTopic('lengths', S, L).readKeyValuesToList()).toEqual([
      { key: 'x', value: 3 },
      { key: 'y', value: 5 },
    ]);
    expect(driver.getKeyValueStore<string, number>('name-lengths').get('y')).toBe(5);
  });

  test('groupBy + aggregate subtracts a row from its old group and adds it to the new one', async () => {
    // user -> region; count users per region, and sum of name lengths per region
    const builder = new StreamsBuilder();
    const users = builder.table('user-regions', { keySerde: S, valueSerde: S });
    users
      .groupBy((user, region) => ({ key: region, value: user }), { keySerde: S, valueSerde: S })
      .count({ store: 'users-per-region' })
      .toStream()
      .to('region-counts', { valueSerde: L });
    users
      .groupBy((user, region) => ({ key: region, value: user }), { keySerde: S, valueSerde: S, name: 'by-region' })
      .aggregate(
        () => 0,
        (_r, user, sum) => sum + user.length,
        (_r, user, sum) => sum - user.length,
        { store: 'name-length-per-region', valueSerde: L },
      );
    const driver = await suite.create(builder.build(), { partitions: 2 });
    const input = driver.createInputTopic('user-regions', S, S);
    input.pipeInput('ann', 'eu', 1);
    input.pipeInput('bob', 'eu', 2);
    input.pipeInput('carla', 'us', 3);
    input.pipeInput('ann', 'us', 4); // moves
    input.pipeInput('bob', null, 5); // leaves
    const counts = driver.getKeyValueStore<string, number>('users-per-region');
    expect(counts.get('eu')).toBe(0);
    expect(counts.get('us')).toBe(2);
    const sums = driver.getKeyValueStore<string, number>('name-length-per-region');
    expect(sums.get('eu')).toBe(0);
    expect(sums.get('us')).toBe(8);
    expect(driver.createOutputTopic('region-counts', S, L).readKeyValuesToMap()).toEqual(
      new Map([
        ['eu', 0],
        ['us', 2],
      ]),
    );
  });

  test('groupBy + reduce with adder and subtractor', async () => {
    const builder = new StreamsBuilder();
    builder
      .table('stock', { keySerde: S, valueSerde: L })
      .groupBy((sku, qty) => ({ key: sku.split('-')[0]!, value: qty }), { keySerde: S, valueSerde: L })
      .reduce(
        (agg, v) => agg + v,
        (agg, v) => agg - v,
        { store: 'stock-per-family' },
      );
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('stock', S, L);
    input.pipeInput('shoe-1', 5, 1);
    input.pipeInput('shoe-2', 3, 2);
    input.pipeInput('shoe-1', 1, 3);
    input.pipeInput('hat-1', 9, 4);
    const store = driver.getKeyValueStore<string, number>('stock-per-family');
    expect(store.get('shoe')).toBe(4);
    expect(store.get('hat')).toBe(9);
  });

  test('KStream.toTable upserts the stream into a table', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).toTable({ store: 'latest' }).toStream().to('out');
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', 'v1', 1);
    input.pipeInput('k', 'v2', 2);
    expect(driver.getKeyValueStore<string, string>('latest').get('k')).toBe('v2');
    expect(driver.createOutputTopic('out', S, S).readValuesToList()).toEqual(['v1', 'v2']);
  });

  test('toTable after a key change repartitions first', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .selectKey((_k, v) => v)
      .toTable({ store: 'by-value', keySerde: S, valueSerde: S });
    const driver = await suite.create(builder.build(), { applicationId: 'tt' });
    expect(driver.compiled.internalTopics.map((t) => t.name)).toEqual(['tt-by-value-repartition', 'tt-by-value-changelog']);
    driver.createInputTopic('in', S, S).pipeInput('k', 'v', 1);
    expect(driver.getKeyValueStore<string, string>('by-value').get('v')).toBe('v');
  });
});

describe('KTable value getters (what joins read)', () => {
  test('an unmaterialized filter/mapValues computes its value from the parent store on lookup', async () => {
    const builder = new StreamsBuilder();
    const prices = builder.table('prices', { keySerde: S, valueSerde: L }, { store: 'prices-store' });
    const discounted = prices.filter((_k, v) => v > 10).mapValues((v) => v / 2);
    expect(discounted.storeName).toBeUndefined();
    const getter = discounted.valueGetter;
    expect(getter.storeNames).toEqual(['prices-store']);
    builder
      .stream('lookups', { keySerde: S, valueSerde: S })
      .process(
        (): Processor<string, string, string, string> => {
          const lookup = getter.get();
          let ctx!: ProcessorContext<string, string>;
          return {
            init: (c) => {
              ctx = c;
              lookup.init(c as ProcessorContext<unknown, unknown>);
            },
            process: (r) => ctx.forward({ ...r, value: String(lookup.get(r.key)) }),
          };
        },
        { stores: [...getter.storeNames] },
      )
      .to('answers', { keySerde: S, valueSerde: S });
    const driver = await suite.create(builder.build(), { partitions: 2 });
    expect(driver.compiled.subtopologies).toHaveLength(1);
    expect(driver.compiled.copartitionGroups).toEqual([['prices', 'lookups']]);
    const p = driver.createInputTopic('prices', S, L);
    p.pipeInput('cheap', 4, 1);
    p.pipeInput('dear', 30, 2);
    const q = driver.createInputTopic('lookups', S, S);
    for (const k of ['cheap', 'dear', 'none']) q.pipeInput(k, '?', 3);
    expect(driver.createOutputTopic('answers', S, S).readKeyValuesToMap()).toEqual(
      new Map([
        ['cheap', 'null'],
        ['dear', '15'],
        ['none', 'null'],
      ]),
    );
  });
});

describe('GlobalKTable', () => {
  test('is bootstrapped from its topic, unlogged, and readable by every task', async () => {
    const builder = new StreamsBuilder();
    builder.globalTable('countries', { keySerde: S, valueSerde: S }, { store: 'countries-store' });
    builder
      .stream('events', { keySerde: S, valueSerde: S })
      .process(() => new CountryLookup(), { named: 'lookup' })
      .to('named-events', { keySerde: S, valueSerde: S });
    const driver = await suite.create(builder.build(), { partitions: 3 });
    expect(driver.compiled.globalSubtopologies).toHaveLength(1);
    expect(driver.compiled.internalTopics.filter((t) => t.kind === 'changelog')).toEqual([]);
    const countries = driver.createInputTopic('countries', S, S);
    countries.pipeInput('fr', 'France', 1);
    countries.pipeInput('de', 'Germany', 2);
    const events = driver.createInputTopic('events', S, S);
    for (let i = 0; i < 6; i++) events.pipeInput(`e${i}`, i % 2 === 0 ? 'fr' : 'de', 10 + i);
    events.pipeInput('e9', 'xx', 20);
    const out = driver.createOutputTopic('named-events', S, S).readKeyValuesToList();
    expect(out).toHaveLength(7);
    expect(out.find((r) => r.key === 'e0')!.value).toBe('France');
    expect(out.find((r) => r.key === 'e1')!.value).toBe('Germany');
    expect(out.find((r) => r.key === 'e9')!.value).toBe('unknown');
    expect(driver.getKeyValueStore<string, string>('countries-store').get('de')).toBe('Germany');
  });
});

/** Replaces a country code by its name from the global store. */
class CountryLookup implements Processor<string, string, string, string> {
  private context!: ProcessorContext<string, string>;
  private countries!: KeyValueStore<string, string>;

  init(context: ProcessorContext<string, string>): void {
    this.context = context;
    this.countries = context.getStateStore('countries-store');
  }

  process(record: StreamRecord<string, string>): void {
    this.context.forward({ ...record, value: this.countries.get(record.value) ?? 'unknown' });
  }
}
