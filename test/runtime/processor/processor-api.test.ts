import { describe, expect, test } from 'vitest';
import {
  Serdes,
  StoreNotFoundError,
  Stores,
  StreamsBuilder,
  Topology,
  TopologyTestDriver,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type RecordMetadata,
  type StreamRecord,
} from '../../../runtime/index.ts';
import { driverSuite } from '../testing/driver-suite.ts';

const S = Serdes.String();
const L = Serdes.Long();
const suite = driverSuite();

/** Sums values per key into a store; a punctuator emits every total. */
class Totals implements Processor<string, number, string, number> {
  private context!: ProcessorContext<string, number>;
  private store!: KeyValueStore<string, number>;
  readonly punctuations: Array<[string, number]> = [];

  constructor(private readonly type: 'STREAM_TIME' | 'WALL_CLOCK_TIME') {}

  init(context: ProcessorContext<string, number>): void {
    this.context = context;
    this.store = context.getStateStore('totals');
    context.schedule(10, this.type, (ts) => this.emitAll(ts));
  }

  process(record: StreamRecord<string, number>): void {
    this.store.put(record.key, (this.store.get(record.key) ?? 0) + record.value);
  }

  private async emitAll(timestamp: number): Promise<void> {
    this.punctuations.push([this.type, timestamp]);
    for await (const { key, value } of this.store.all()) this.context.forward({ key, value, timestamp, headers: {} });
  }
}

function totalsTopology(type: 'STREAM_TIME' | 'WALL_CLOCK_TIME', instances: Totals[]): Topology {
  const builder = new StreamsBuilder();
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('totals'), S, L));
  builder
    .stream('amounts', { keySerde: S, valueSerde: L })
    .process(
      () => {
        const p = new Totals(type);
        instances.push(p);
        return p;
      },
      { named: 'totals-processor', stores: ['totals'] },
    )
    .to('totals-out', { keySerde: S, valueSerde: L });
  return builder.build();
}

describe('Processor API', () => {
  test('STREAM_TIME punctuators fire on the first record and then at interval boundaries of stream time', async () => {
    const instances: Totals[] = [];
    const driver = await suite.create(totalsTopology('STREAM_TIME', instances));
    const input = driver.createInputTopic('amounts', S, L);
    const output = driver.createOutputTopic('totals-out', S, L);
    await input.pipeInput('a', 1, 3); // stream time 3: first punctuation at 3
    expect(output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([['a', 1, 3]]);
    await input.pipeInput('b', 2, 7); // next is due at 10
    expect(output.isEmpty()).toBe(true);
    await input.pipeInput('a', 5, 4); // out of order: stream time stays 7
    expect(output.isEmpty()).toBe(true);
    await input.pipeInput('a', 1, 25); // 25 >= 10: fires once (missed 20 is skipped), next at 30
    expect(output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['a', 7, 25],
      ['b', 2, 25],
    ]);
    expect(instances[0]!.punctuations).toEqual([
      ['STREAM_TIME', 3],
      ['STREAM_TIME', 25],
    ]);
    await driver.advanceWallClockTime(1000);
    expect(output.isEmpty()).toBe(true);
  });

  test('WALL_CLOCK_TIME punctuators fire when the manual clock advances, not on records', async () => {
    const instances: Totals[] = [];
    const driver = await suite.create(totalsTopology('WALL_CLOCK_TIME', instances), { initialWallClockTimeMs: 1000 });
    const input = driver.createInputTopic('amounts', S, L);
    const output = driver.createOutputTopic('totals-out', S, L);
    await input.pipeInput('a', 4, 999_999);
    expect(output.isEmpty()).toBe(true);
    await driver.advanceWallClockTime(9);
    expect(output.isEmpty()).toBe(true);
    await driver.advanceWallClockTime(1); // 1010
    expect(output.readKeyValuesToList()).toEqual([{ key: 'a', value: 4 }]);
    await driver.advanceWallClockTime(35); // 1045: one punctuation, next at 1050
    expect(output.readRecordsToList().map((r) => r.timestamp)).toEqual([1045]);
    expect(instances[0]!.punctuations).toEqual([
      ['WALL_CLOCK_TIME', 1010],
      ['WALL_CLOCK_TIME', 1045],
    ]);
  });

  test('a cancelled punctuator does not fire again', async () => {
    let fired = 0;
    const topology = new Topology()
      .addSource('src', 'in', { keySerde: S, valueSerde: S })
      .addProcessor(
        'p',
        (): Processor<string, string> => ({
          init: (ctx) => {
            const c = ctx.schedule(5, 'WALL_CLOCK_TIME', () => {
              fired++;
              c.cancel();
            });
          },
          process: () => {},
        }),
        'src',
      );
    const driver = await suite.create(topology);
    await driver.advanceWallClockTime(5);
    await driver.advanceWallClockTime(5);
    expect(fired).toBe(1);
  });

  test('the context exposes record metadata, headers, timestamps and the task id', async () => {
    const seen: Array<{ meta: RecordMetadata | null; ts: number; stream: number; system: number; task: string; header: unknown }> = [];
    const topology = new Topology()
      .addSource('src', 'in', { keySerde: S, valueSerde: S })
      .addProcessor(
        'inspect',
        (): Processor<string, string> => {
          let ctx!: ProcessorContext<never, never>;
          return {
            init: (c) => {
              ctx = c;
            },
            process: (r) => {
              const meta = ctx.recordMetadata();
              seen.push({
                meta: meta === null ? null : { topic: meta.topic, partition: meta.partition, offset: meta.offset },
                ts: r.timestamp,
                stream: ctx.currentStreamTimeMs(),
                system: ctx.currentSystemTimeMs(),
                task: ctx.taskId,
                header: r.headers['h'],
              });
            },
          };
        },
        'src',
      );
    const driver = await suite.create(topology, { initialWallClockTimeMs: 500 });
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', 'v', 42, { h: 'x' });
    input.pipeInput('k', 'v', 7);
    expect(seen).toEqual([
      { meta: { topic: 'in', partition: 0, offset: '0' }, ts: 42, stream: 42, system: 500, task: '0_0', header: 'x' },
      { meta: { topic: 'in', partition: 0, offset: '1' }, ts: 7, stream: 42, system: 500, task: '0_0', header: undefined },
    ]);
  });

  test('an async process() is awaited before the next record and its forwards arrive in order', async () => {
    const topology = new Topology()
      .addSource('src', 'in', { keySerde: S, valueSerde: S })
      .addProcessor(
        'slow',
        (): Processor<string, string, string, string> => {
          let ctx!: ProcessorContext<string, string>;
          return {
            init: (c) => {
              ctx = c;
            },
            process: async (r) => {
              await new Promise((resolve) => setTimeout(resolve, 1));
              ctx.forward({ ...r, value: `${r.value}!` });
            },
          };
        },
        'src',
      )
      .addSink('out', 'out', { keySerde: S, valueSerde: S }, 'slow');
    const driver = await suite.create(topology);
    const input = driver.createInputTopic('in', S, S);
    await input.pipeInput('a', '1', 1);
    await input.pipeInput('b', '2', 2);
    expect(driver.createOutputTopic('out', S, S).readValuesToList()).toEqual(['1!', '2!']);
  });

  test('forward to a named child reaches only that child', async () => {
    const topology = new Topology()
      .addSource('src', 'in', { keySerde: S, valueSerde: S })
      .addProcessor(
        'router',
        (): Processor<string, string, string, string> => {
          let ctx!: ProcessorContext<string, string>;
          return {
            init: (c) => {
              ctx = c;
            },
            process: (r) => ctx.forward(r, r.value === 'left' ? 'to-left' : 'to-right'),
          };
        },
        'src',
      )
      .addSink('to-left', 'left', { keySerde: S, valueSerde: S }, 'router')
      .addSink('to-right', 'right', { keySerde: S, valueSerde: S }, 'router');
    const driver = await suite.create(topology);
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', 'left', 1);
    input.pipeInput('k', 'right', 2);
    input.pipeInput('k', 'left', 3);
    expect(driver.createOutputTopic('left', S, S).getQueueSize()).toBe(2);
    expect(driver.createOutputTopic('right', S, S).getQueueSize()).toBe(1);
  });

  test('asking for a store that is not connected throws StoreNotFoundError', async () => {
    const topology = new Topology()
      .addSource('src', 'in', { keySerde: S, valueSerde: S })
      .addProcessor('p', (): Processor<string, string> => ({ init: (c) => void c.getStateStore('nope'), process: () => {} }), 'src');
    await expect(TopologyTestDriver.create(topology)).rejects.toThrow(StoreNotFoundError);
    await expect(TopologyTestDriver.create(topology)).rejects.toThrow('processor p is not connected to store nope');
  });
});

describe('Processor API failures and ordering', () => {
  test('records piped without awaiting an async processor are still processed one at a time, in order', async () => {
    const seen: string[] = [];
    let inFlight = 0;
    const topology = new Topology()
      .addSource('src', 'in', { keySerde: S, valueSerde: S })
      .addProcessor(
        'async',
        (): Processor<string, string> => ({
          process: async (r) => {
            inFlight++;
            expect(inFlight).toBe(1);
            await new Promise((resolve) => setTimeout(resolve, 1));
            seen.push(r.value);
            inFlight--;
          },
        }),
        'src',
      );
    const driver = await suite.create(topology);
    const input = driver.createInputTopic('in', S, S);
    const pending = ['1', '2', '3'].map((v, i) => input.pipeInput('k', v, i));
    await Promise.all(pending);
    expect(seen).toEqual(['1', '2', '3']);
  });

  test('a failing punctuator fails the task with PROCESSING_FAILED naming its processor', async () => {
    const topology = new Topology()
      .addSource('src', 'in', { keySerde: S, valueSerde: S })
      .addProcessor(
        'ticker',
        (): Processor<string, string> => ({
          init: (ctx) => void ctx.schedule(10, 'WALL_CLOCK_TIME', () => {
            throw new Error('tick failed');
          }),
          process: () => {},
        }),
        'src',
      );
    const driver = await suite.create(topology);
    let error: unknown;
    try {
      await driver.advanceWallClockTime(10);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'PROCESSING_FAILED', context: { taskId: '0_0', processor: 'ticker' } });
    expect((error as Error).message).toBe('WALL_CLOCK_TIME punctuator of ticker in task 0_0 failed: tick failed');
  });
});
