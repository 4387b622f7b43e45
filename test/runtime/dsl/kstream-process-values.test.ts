import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver, type Processor, type ProcessorContext, type StreamRecord } from '../../../runtime/index.ts';

/** KStream.processValues: a key-preserving processor; a grouping after it needs no repartition. */
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

class TimeFromValue implements Processor<string, number, string, number> {
  private context!: ProcessorContext<string, number>;
  init(context: ProcessorContext<string, number>): void {
    this.context = context;
  }
  process(record: StreamRecord<string, number>): void {
    this.context.forward({ ...record, timestamp: record.value });
  }
}

describe('KStream.processValues', () => {
  it('changes timestamps, keeps keys, and a grouping after it needs no repartition', async () => {
    const builder = new StreamsBuilder();
    const timed = builder.stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.Json<number>() }).processValues(() => new TimeFromValue());
    timed.to('out', { keySerde: Serdes.String(), valueSerde: Serdes.Json<number>() });
    timed.groupByKey().count({ store: 'counts' });
    const topology = builder.build();
    expect(topology.describe().toString()).not.toContain('repartition');
    driver = await TopologyTestDriver.create(topology, { partitions: 2 });
    const input = driver.createInputTopic('in', Serdes.String(), Serdes.Json<number>());
    await input.pipeInput('a', 5_000, 1);
    await input.pipeInput('b', 7_000, 2);
    const out = driver.createOutputTopic('out', Serdes.String(), Serdes.Json<number>()).readRecordsToList();
    expect(out.map((r) => [r.key, r.value, r.timestamp])).toEqual([['a', 5_000, 5_000], ['b', 7_000, 7_000]]);
    expect(driver.getKeyValueStore<string, number>('counts').get('a')).toBe(1);
  });

  it('keeps the need to repartition when the key changed upstream', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.Json<number>() })
      .selectKey((k) => `${k}!`)
      .processValues(() => new TimeFromValue())
      .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<number>() })
      .count({ store: 'counts' });
    expect(builder.build().describe().toString()).toContain('counts-repartition');
  });
});
