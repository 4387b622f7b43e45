import { describe, expect, test } from 'vitest';
import { Serdes, StreamsBuilder, StreamsError } from '../../../runtime/index.ts';
import { partitionForKey } from '../../../runtime/task/internal/default-partitioner.ts';
import { driverSuite } from './driver-suite.ts';

const S = Serdes.String();
const L = Serdes.Long();
const suite = driverSuite();

function countTopology() {
  const builder = new StreamsBuilder();
  builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'counts' }).toStream().to('out', { valueSerde: L });
  return builder.build();
}

describe('TopologyTestDriver', () => {
  test('runs one task per partition and places keys as Kafka\'s default partitioner does', async () => {
    const driver = await suite.create(countTopology(), { partitions: 4 });
    const input = driver.createInputTopic('in', S, S);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'a']) input.pipeInput(k, 'x', 1);
    const out = driver.createOutputTopic('out', S, L).readRecordsToList();
    expect(out.map((r) => [r.key, r.value])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
      ['e', 1],
      ['a', 2],
    ]);
    for (const r of out) expect(r.partition).toBe(partitionForKey(Buffer.from(r.key), 4));
    const store = driver.getKeyValueStore<string, number>('counts');
    expect(store.get('a')).toBe(2);
    expect(store.approximateNumEntries()).toBe(5);
    const all: string[] = [];
    for await (const e of store.all()) all.push(e.key);
    expect(all.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(() => store.put('z', 1)).toThrow(StreamsError);
  });

  test('records without a key are spread round-robin', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).to('out');
    const driver = await suite.create(builder.build(), { partitions: 3 });
    const input = driver.createInputTopic('in', S, S);
    for (let i = 0; i < 6; i++) input.pipeValue(`v${i}`, i);
    expect(driver.createOutputTopic('in', S, S).readRecordsToList().map((r) => r.partition)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  test('timestamps default to the wall clock; pipeKeyValueList advances them', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).to('out');
    const driver = await suite.create(builder.build(), { initialWallClockTimeMs: 5000 });
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', 'now');
    await input.pipeKeyValueList(
      [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
      100,
      10,
    );
    expect(driver.createOutputTopic('out', S, S).readRecordsToList().map((r) => [r.value, r.timestamp])).toEqual([
      ['now', 5000],
      ['1', 100],
      ['2', 110],
    ]);
  });

  test('output topics consume what they read; reading past the end is an error', async () => {
    const driver = await suite.create(countTopology());
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('a', 'x', 1);
    input.pipeInput('b', 'x', 2);
    const out = driver.createOutputTopic('out', S, L);
    expect(out.getQueueSize()).toBe(2);
    expect(out.readKeyValue()).toEqual({ key: 'a', value: 1 });
    expect(out.readValue()).toBe(1);
    expect(out.isEmpty()).toBe(true);
    expect(() => out.readRecord()).toThrow('topic out has no more records');
    // Each piped record is followed by a commit: the cache wrote the changelog too.
    expect(driver.topicNames().sort()).toEqual(['in', 'out', 'test-app-counts-changelog']);
  });

  test('an unknown store name is a clear error', async () => {
    const driver = await suite.create(countTopology());
    expect(() => driver.getKeyValueStore('nope')).toThrow('the topology has no store named nope');
  });

  test('readKeyValuesToMap keeps the last value per key and applies deletes', async () => {
    const builder = new StreamsBuilder();
    builder.table('t', { keySerde: S, valueSerde: S }).toStream().to('out');
    const driver = await suite.create(builder.build());
    const input = driver.createInputTopic('t', S, S);
    input.pipeInput('a', '1', 1);
    input.pipeInput('b', '2', 2);
    input.pipeInput('a', null, 3);
    expect(driver.createOutputTopic('out', S, S).readKeyValuesToMap()).toEqual(new Map([['b', '2']]));
  });
});

describe('TopologyTestDriver topics from descriptors', () => {
  test('a TopicDescriptor gives the name and serdes of input and output topics', async () => {
    const input = { name: 'amounts', keySerde: S, valueSerde: L };
    const output = { name: 'doubled', keySerde: S, valueSerde: L };
    const builder = new StreamsBuilder();
    builder
      .stream(input)
      .mapValues((v) => v * 2)
      .to(output);
    const driver = await suite.create(builder.build());
    driver.createInputTopic(input).pipeInput('k', 21, 1);
    expect(driver.createOutputTopic(output).readKeyValuesToList()).toEqual([{ key: 'k', value: 42 }]);
    expect(() => driver.createOutputTopic('x')).toThrow('test topic x needs a key serde');
  });
});
