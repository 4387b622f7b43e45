import { describe, expect, test } from 'vitest';
import { Serdes, StreamsBuilder, type Processor, type ProcessorContext, type StreamRecord } from '../../../runtime/index.ts';
import { driverSuite } from '../testing/driver-suite.ts';

/** `Processor.onCommit`: a combiner that sums per key in memory and forwards at each commit. */
const S = Serdes.String();
const L = Serdes.Long();
const suite = driverSuite();

class SumUntilCommit implements Processor<string, number, string, number> {
  private context!: ProcessorContext<string, number>;
  private readonly sums = new Map<string, number>();
  init(context: ProcessorContext<string, number>): void {
    this.context = context;
  }
  process(record: StreamRecord<string, number>): void {
    this.sums.set(record.key, (this.sums.get(record.key) ?? 0) + record.value);
  }
  onCommit(): void {
    for (const [key, value] of this.sums) this.context.forward({ key, value, timestamp: 0, headers: {} });
    this.sums.clear();
  }
}

async function start(commitEachRecord: boolean) {
  const builder = new StreamsBuilder();
  const partials = builder.stream('in', { keySerde: S, valueSerde: L }).processValues(() => new SumUntilCommit(), { named: 'combiner' });
  partials.to('partials', { keySerde: S, valueSerde: L });
  // A cached aggregation downstream in the same task: it sees the partials before its cache is written down.
  partials
    .groupByKey({ keySerde: S, valueSerde: L })
    .reduce((a, b) => a + b, { store: 'totals', keySerde: S, valueSerde: L })
    .toStream()
    .to('totals', { keySerde: S, valueSerde: L });
  const driver = await suite.create(builder.build(), { commitEachRecord });
  const input = driver.createInputTopic('in', S, L);
  const out = (topic: string) => driver.createOutputTopic(topic, S, L);
  return { driver, input, partials: out('partials'), totals: out('totals') };
}

describe('Processor.onCommit', () => {
  test('forwards the buffered partials once per key per commit, before the caches are written down', async () => {
    const { driver, input, partials, totals } = await start(false);
    for (const [key, value] of [['a', 1], ['a', 2], ['b', 10], ['a', 4], ['b', 20]] as const) await input.pipeInput(key, value, 1_000);
    expect(partials.getQueueSize()).toBe(0);
    await driver.commit();
    expect(partials.readKeyValuesToList()).toEqual([
      { key: 'a', value: 7 },
      { key: 'b', value: 30 },
    ]);
    expect(totals.readKeyValuesToMap()).toEqual(new Map([['a', 7], ['b', 30]]));
    await driver.commit(); // nothing new since: nothing forwarded
    expect(partials.getQueueSize()).toBe(0);
    await input.pipeInput('a', 5, 2_000);
    await driver.commit();
    expect(partials.readKeyValuesToList()).toEqual([{ key: 'a', value: 5 }]);
    expect(totals.readKeyValuesToMap()).toEqual(new Map([['a', 12]]));
  });

  test('runs after each record when the test driver commits each record', async () => {
    const { input, partials, totals } = await start(true);
    for (const [key, value] of [['a', 1], ['a', 2], ['b', 10]] as const) await input.pipeInput(key, value, 1_000);
    expect(partials.readKeyValuesToList()).toEqual([
      { key: 'a', value: 1 },
      { key: 'a', value: 2 },
      { key: 'b', value: 10 },
    ]);
    expect(totals.readKeyValuesToList()).toEqual([
      { key: 'a', value: 1 },
      { key: 'a', value: 3 },
      { key: 'b', value: 10 },
    ]);
  });
});
