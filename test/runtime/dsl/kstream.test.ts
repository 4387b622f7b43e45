import { afterEach, describe, expect, test } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver, silentLogger, type KStream } from '../../../runtime/index.ts';

const S = Serdes.String();
const J = Serdes.Json<{ n: number }>();
let driver: TopologyTestDriver | undefined;

afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** Builds `in` (string/string) -> body -> `out` and returns input and output topics. */
async function run<K, V>(body: (s: KStream<string, string>) => KStream<K, V>, keySerde = S as unknown, valueSerde = S as unknown) {
  const builder = new StreamsBuilder();
  body(builder.stream('in', { keySerde: S, valueSerde: S })).to('out', { keySerde: keySerde as never, valueSerde: valueSerde as never });
  await driver?.close();
  driver = await TopologyTestDriver.create(builder.build(), { logger: silentLogger });
  return {
    input: driver.createInputTopic('in', S, S),
    output: driver.createOutputTopic('out', keySerde as never, valueSerde as never),
  };
}

describe('KStream stateless operators', () => {
  test('filter keeps matching records and filterNot the others', async () => {
    const { input, output } = await run((s) => s.filter((_k, v) => v.startsWith('a')));
    input.pipeInput('k1', 'apple', 1);
    input.pipeInput('k2', 'banana', 2);
    input.pipeInput('k3', 'avocado', 3);
    expect(output.readKeyValuesToList()).toEqual([
      { key: 'k1', value: 'apple' },
      { key: 'k3', value: 'avocado' },
    ]);
    const other = await run((s) => s.filterNot((_k, v) => v.startsWith('a')));
    other.input.pipeInput('k1', 'apple', 1);
    other.input.pipeInput('k2', 'banana', 2);
    expect(other.output.readValuesToList()).toEqual(['banana']);
  });

  test('map changes key and value and keeps the timestamp and headers', async () => {
    const { input, output } = await run((s) => s.map((k, v) => ({ key: v, value: k.toUpperCase() })));
    input.pipeInput('k1', 'v1', 42, { trace: 'abc' });
    const [r] = output.readRecordsToList();
    expect(r).toMatchObject({ key: 'v1', value: 'K1', timestamp: 42, headers: { trace: 'abc' } });
  });

  test('mapValues receives value and key', async () => {
    const { input, output } = await run((s) => s.mapValues((v, k) => ({ n: v.length + k.length })), S, J);
    input.pipeInput('ab', 'cde', 1);
    expect(output.readKeyValuesToList()).toEqual([{ key: 'ab', value: { n: 5 } }]);
  });

  test('flatMap emits any number of records per input', async () => {
    const { input, output } = await run((s) => s.flatMap((k, v) => v.split(',').map((part) => ({ key: `${k}-${part}`, value: part }))));
    input.pipeInput('k', 'a,b,c', 1);
    input.pipeInput('e', '', 2);
    expect(output.readKeyValuesToList()).toEqual([
      { key: 'k-a', value: 'a' },
      { key: 'k-b', value: 'b' },
      { key: 'k-c', value: 'c' },
      { key: 'e-', value: '' },
    ]);
  });

  test('flatMapValues keeps the key', async () => {
    const { input, output } = await run((s) => s.flatMapValues((v) => v.split(' ')));
    input.pipeInput('k', 'x y', 1);
    input.pipeInput('z', 'w', 2);
    expect(output.readKeyValuesToList()).toEqual([
      { key: 'k', value: 'x' },
      { key: 'k', value: 'y' },
      { key: 'z', value: 'w' },
    ]);
  });

  test('selectKey replaces the key', async () => {
    const { input, output } = await run((s) => s.selectKey((_k, v) => v.slice(0, 1)));
    input.pipeInput('k', 'hello', 1);
    expect(output.readKeyValuesToList()).toEqual([{ key: 'h', value: 'hello' }]);
  });

  test('peek sees every record and passes it on; foreach is terminal', async () => {
    const seen: string[] = [];
    const eachSeen: string[] = [];
    const { input, output } = await run((s) => {
      s.foreach((k, v) => eachSeen.push(`${k}=${v}`));
      return s.peek((k, v) => seen.push(`${k}:${v}`));
    });
    input.pipeInput('a', '1', 1);
    input.pipeInput('b', '2', 2);
    expect(seen).toEqual(['a:1', 'b:2']);
    expect(eachSeen).toEqual(['a=1', 'b=2']);
    expect(output.readValuesToList()).toEqual(['1', '2']);
  });

  test('merge interleaves two streams in processing order', async () => {
    const builder = new StreamsBuilder();
    const a = builder.stream('a', { keySerde: S, valueSerde: S });
    const b = builder.stream('b', { keySerde: S, valueSerde: S });
    a.merge(b).to('out');
    driver = await TopologyTestDriver.create(builder.build());
    const inA = driver.createInputTopic('a', S, S);
    const inB = driver.createInputTopic('b', S, S);
    inA.pipeInput('1', 'a1', 1);
    inB.pipeInput('2', 'b1', 2);
    inA.pipeInput('3', 'a2', 3);
    expect(driver.createOutputTopic('out', S, S).readValuesToList()).toEqual(['a1', 'b1', 'a2']);
  });

  test('split sends each record to the first matching branch, else the default branch', async () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream('in', { keySerde: S, valueSerde: S })
      .split('num-')
      .branch((_k, v) => Number(v) < 0, { name: 'negative' })
      .branch((_k, v) => Number(v) < 10, { name: 'small', chain: (s) => s.mapValues((v) => `small:${v}`) })
      .defaultBranch({ name: 'large' });
    expect(Object.keys(branches).sort()).toEqual(['num-large', 'num-negative', 'num-small']);
    branches['num-negative']!.to('neg');
    branches['num-small']!.to('small', { valueSerde: S });
    branches['num-large']!.to('large');
    driver = await TopologyTestDriver.create(builder.build());
    const input = driver.createInputTopic('in', S, S);
    for (const v of ['-1', '5', '50', '-7', '9']) input.pipeInput('k', v, 1);
    expect(driver.createOutputTopic('neg', S, S).readValuesToList()).toEqual(['-1', '-7']);
    expect(driver.createOutputTopic('small', S, S).readValuesToList()).toEqual(['small:5', 'small:9']);
    expect(driver.createOutputTopic('large', S, S).readValuesToList()).toEqual(['50']);
  });

  test('split without default branch drops unmatched records', async () => {
    const builder = new StreamsBuilder();
    const branches = builder.stream('in', { keySerde: S, valueSerde: S }).split().branch((_k, v) => v === 'x').noDefaultBranch();
    branches['1']!.to('out');
    driver = await TopologyTestDriver.create(builder.build());
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', 'x', 1);
    input.pipeInput('k', 'y', 2);
    expect(driver.createOutputTopic('out', S, S).readValuesToList()).toEqual(['x']);
  });

  test('to() uses the serdes of a topic descriptor', async () => {
    const builder = new StreamsBuilder();
    const counts = { name: 'lengths', keySerde: S, valueSerde: Serdes.Long() };
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .mapValues((v) => v.length)
      .to(counts);
    driver = await TopologyTestDriver.create(builder.build());
    driver.createInputTopic('in', S, S).pipeInput('k', 'four', 1);
    const raw = driver.createOutputTopic('lengths', S, Serdes.Bytes()).readValue();
    expect(raw).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 4]));
  });
});
