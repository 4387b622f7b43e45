import { afterEach, describe, expect, test } from 'vitest';
import {
  ManualClock,
  ProcessingError,
  SerdeError,
  Serdes,
  StreamsBuilder,
  StreamsError,
  TopologyTestDriver,
  silentLogger,
  type ErrorHandlerContext,
  type ProcessorContext,
  type StreamRecord,
} from '../../../../runtime/index.ts';
import type { OutgoingRecord } from '../../../../runtime/task/internal/record-collector.ts';
import { StreamTask } from '../../../../runtime/task/internal/stream-task.ts';

const S = Serdes.String();
const J = Serdes.Json<{ qty: number }>();
let driver: TopologyTestDriver | undefined;

afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** orders (JSON) -> mapValues 'double' (throws on qty < 0) -> out */
function ordersTopology() {
  const builder = new StreamsBuilder();
  builder
    .stream('orders', { keySerde: S, valueSerde: J, name: 'orders-source' })
    .mapValues((o) => {
      if (o.qty < 0) throw new RangeError(`negative quantity ${o.qty}`);
      return { qty: o.qty * 2 };
    }, 'double')
    .to('out', { valueSerde: J });
  return builder.build();
}

describe('StreamTask error handling', () => {
  test('a poison pill goes to the DLQ with error headers and processing continues (deserialization default)', async () => {
    driver = await TopologyTestDriver.create(ordersTopology(), { applicationId: 'shop', logger: silentLogger });
    const input = driver.createInputTopic('orders', S, J);
    input.pipeInput('o1', { qty: 1 }, 10);
    input.pipeRaw(Buffer.from('o2'), Buffer.from('{not json'), 11, { origin: 'web' });
    input.pipeInput('o3', { qty: 3 }, 12);
    expect(driver.createOutputTopic('out', S, J).readValuesToList()).toEqual([{ qty: 2 }, { qty: 6 }]);
    const dlq = driver.createOutputTopic('shop-dlq', S, S).readRecordsToList();
    expect(dlq).toHaveLength(1);
    expect(dlq[0]).toMatchObject({ key: 'o2', value: '{not json', timestamp: 11 });
    expect(dlq[0]!.headers).toEqual({
      origin: 'web',
      'streamhouse.error.class': 'SyntaxError',
      'streamhouse.error.message': expect.stringContaining('JSON'),
      'streamhouse.error.source.topic': 'orders',
      'streamhouse.error.source.partition': '0',
      'streamhouse.error.source.offset': '1',
      'streamhouse.error.processor': 'orders-source',
    });
    expect(driver.deadLetterCount).toBe(1);
  });

  test('deserialization logAndFail fails the task with DESERIALIZATION_FAILED and the record context', async () => {
    driver = await TopologyTestDriver.create(ordersTopology(), { deserializationExceptionHandler: 'logAndFail', logger: silentLogger });
    const input = driver.createInputTopic('orders', S, J);
    let error: unknown;
    try {
      input.pipeRaw(Buffer.from('k'), Buffer.from('garbage'), 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).code).toBe('DESERIALIZATION_FAILED');
    expect((error as SerdeError).context).toEqual({ taskId: '0_0', topic: 'orders', partition: 0, offset: '0', processor: 'orders-source' });
    expect((error as SerdeError).cause).toBeInstanceOf(SyntaxError);
    expect(driver.createOutputTopic('test-app-dlq', S, S).isEmpty()).toBe(true);
  });

  test('a processing error fails the task by default (logAndFail) with the failing processor named', async () => {
    driver = await TopologyTestDriver.create(ordersTopology(), { logger: silentLogger });
    const input = driver.createInputTopic('orders', S, J);
    expect(() => input.pipeInput('bad', { qty: -1 }, 1)).toThrow(ProcessingError);
    try {
      input.pipeInput('bad', { qty: -2 }, 2);
    } catch (e) {
      expect((e as ProcessingError).code).toBe('PROCESSING_FAILED');
      expect((e as ProcessingError).context.processor).toBe('double');
      expect((e as ProcessingError).cause).toBeInstanceOf(RangeError);
    }
  });

  test('processing logAndContinue sends the original input bytes to the DLQ with the failing processor', async () => {
    driver = await TopologyTestDriver.create(ordersTopology(), { processingExceptionHandler: 'logAndContinue', deadLetterTopic: 'bad-orders', logger: silentLogger });
    const input = driver.createInputTopic('orders', S, J);
    input.pipeInput('a', { qty: -5 }, 1);
    input.pipeInput('b', { qty: 5 }, 2);
    expect(driver.createOutputTopic('out', S, J).readKeyValuesToList()).toEqual([{ key: 'b', value: { qty: 10 } }]);
    const dlq = driver.createOutputTopic('bad-orders', S, J).readRecordsToList();
    expect(dlq.map((r) => [r.key, r.value])).toEqual([['a', { qty: -5 }]]);
    expect(dlq[0]!.headers['streamhouse.error.class']).toBe('RangeError');
    expect(dlq[0]!.headers['streamhouse.error.message']).toBe('negative quantity -5');
    expect(dlq[0]!.headers['streamhouse.error.processor']).toBe('double');
  });

  test('a handler function decides per record; CONTINUE also dead-letters', async () => {
    const calls: ErrorHandlerContext[] = [];
    driver = await TopologyTestDriver.create(ordersTopology(), {
      logger: silentLogger,
      processingExceptionHandler: (ctx, error) => {
        calls.push(ctx);
        return error.message.includes('-1') ? 'CONTINUE' : 'FAIL';
      },
    });
    const input = driver.createInputTopic('orders', S, J);
    input.pipeInput('x', { qty: -1 }, 1);
    expect(() => input.pipeInput('y', { qty: -2 }, 2)).toThrow(ProcessingError);
    expect(calls.map((c) => [c.processor, c.offset, c.key?.toString()])).toEqual([
      ['double', '0', 'x'],
      ['double', '1', 'y'],
    ]);
    expect(driver.createOutputTopic('test-app-dlq', S, J).readKeyValuesToList()).toEqual([{ key: 'x', value: { qty: -1 } }]);
  });

  test('an error in an async processor is handled like a synchronous one', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).process(
      () => ({
        process: async () => {
          await Promise.resolve();
          throw new Error('async boom');
        },
      }),
      { named: 'async-proc' },
    );
    driver = await TopologyTestDriver.create(builder.build(), { processingExceptionHandler: 'logAndContinue', logger: silentLogger });
    await driver.createInputTopic('in', S, S).pipeInput('k', 'v', 1);
    const dlq = driver.createOutputTopic('test-app-dlq', S, S).readRecordsToList();
    expect(dlq.map((r) => [r.value, r.headers['streamhouse.error.processor'], r.headers['streamhouse.error.message']])).toEqual([
      ['v', 'async-proc', 'async boom'],
    ]);
  });

  test('a negative timestamp from the extractor is a deserialization failure', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S, timestampExtractor: (r) => Number(r.value!.toString()) }).to('out');
    driver = await TopologyTestDriver.create(builder.build(), { logger: silentLogger });
    const input = driver.createInputTopic('in', S, S);
    input.pipeInput('k', '-5', 1);
    input.pipeInput('k', '5', 1);
    expect(driver.createOutputTopic('out', S, S).readRecordsToList().map((r) => r.timestamp)).toEqual([5]);
    expect(driver.createOutputTopic('test-app-dlq', S, S).readRecordsToList()[0]!.headers['streamhouse.error.message']).toBe(
      'invalid timestamp -5: event time must be >= 0',
    );
  });
});

describe('StreamTask run directly (as the Kafka runtime does)', () => {
  test('processes raw records into the collector and calls the metric hooks', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'counts', storeType: 'inMemory' }).toStream().to('out', { valueSerde: Serdes.Long() });
    const compiled = builder.build().compile({ applicationId: 'direct' });
    const sent: OutgoingRecord[] = [];
    const counts = { in: 0, out: 0, processors: new Set<string>() };
    const task = new StreamTask({
      topology: compiled,
      subtopology: compiled.subtopologies[0]!,
      partition: 2,
      collector: { send: (r) => sent.push(r) },
      stateDir: '/nonexistent',
      clock: new ManualClock(0),
      hooks: {
        onRecordIn: () => counts.in++,
        onRecordOut: () => counts.out++,
        onProcess: (name) => counts.processors.add(name),
      },
    });
    expect(task.taskId).toBe('0_2');
    await task.init();
    const raw = (offset: string, key: string) => ({ topic: 'in', partition: 2, offset, key: Buffer.from(key), value: Buffer.from('v'), timestamp: 100, headers: {} });
    expect(task.process(raw('7', 'a'))).toBeUndefined();
    task.process(raw('8', 'a'));
    await task.commit();
    // The DSL store caches by default: the changelog and the output get one record per
    // key at commit (the cache forwards what it has written down; the changelog records
    // of the commit follow, coalesced per key).
    expect(sent.map((r) => [r.topic, r.partition, r.key?.toString()])).toEqual([
      ['out', undefined, 'a'],
      ['direct-counts-changelog', 2, 'a'],
    ]);
    expect(sent[0]!.value).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]));
    expect(sent[1]!.value).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]));
    expect(counts.in).toBe(2);
    expect(counts.out).toBe(1);
    expect([...counts.processors].sort()).toEqual(['KSTREAM-AGGREGATE-0000000001', 'KSTREAM-SINK-0000000003', 'KSTREAM-SOURCE-0000000000', 'KTABLE-TOSTREAM-0000000002']);
    expect(task.streamTime).toBe(100);
    expect([...task.stores.keys()]).toEqual(['counts']);
    await task.close();
  });
});

describe('StreamTask failures of the runtime itself', () => {
  test('a collector failure or a missing store fails the task unchanged, even under logAndContinue', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).to('out');
    const compiled = builder.build().compile({ applicationId: 'fw' });
    const produceFailure = new StreamsError('PRODUCE_FAILED', 'broker gone');
    const task = new StreamTask({
      topology: compiled,
      subtopology: compiled.subtopologies[0]!,
      partition: 0,
      collector: {
        send: () => {
          throw produceFailure;
        },
      },
      stateDir: '/nonexistent',
      clock: new ManualClock(0),
      processingExceptionHandler: 'logAndContinue',
      logger: silentLogger,
    });
    await task.init();
    const raw = { topic: 'in', partition: 0, offset: '0', key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1, headers: {} };
    expect(() => task.process(raw)).toThrow(produceFailure);
    expect(task.deadLetterCount).toBe(0);
  });
});

describe('StreamTask queryable (what interactive queries may read)', () => {
  test('only between processors initialized and close: not while its stores restore, nor once it closes', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).groupByKey().count({ store: 'counts', storeType: 'inMemory' });
    const compiled = builder.build().compile({ applicationId: 'iq' });
    const task = new StreamTask({ topology: compiled, subtopology: compiled.subtopologies[0]!, partition: 0, collector: { send: () => undefined }, stateDir: '/nonexistent', clock: new ManualClock(0) });
    expect(task.queryable).toBe(false);
    await task.initStores(); // the stores are open and would now be restored from their changelogs
    expect(task.queryable).toBe(false);
    await task.initProcessors();
    expect(task.queryable).toBe(true);
    const closing = task.close();
    expect(task.queryable).toBe(false);
    await closing;
    expect(task.queryable).toBe(false);
  });
});

/** Forwards `count <n>` (or throws) 20 ms after each record: an asynchronous processor. */
class ForwardLater {
  private context!: ProcessorContext<string, string>;
  constructor(private readonly fail: boolean) {}
  init(context: ProcessorContext<string, string>): void {
    this.context = context;
  }
  async process(record: StreamRecord<string, number>): Promise<void> {
    await new Promise((r) => setTimeout(r, 20));
    if (this.fail) throw new RangeError(`count ${record.value} refused`);
    this.context.forward({ ...record, value: `count ${record.value}` });
  }
}

describe('StreamTask commit and asynchronous processors downstream of a cache', () => {
  /** in -> count (cached) -> toStream -> an async processor that forwards (or fails) after a timer -> out */
  function task(fail: boolean) {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .groupByKey()
      .count({ store: 'counts', storeType: 'inMemory' })
      .toStream()
      .process(() => new ForwardLater(fail))
      .to('out', { keySerde: S, valueSerde: S });
    const compiled = builder.build().compile({ applicationId: 'async' });
    const sent: OutgoingRecord[] = [];
    const t = new StreamTask({ topology: compiled, subtopology: compiled.subtopologies[0]!, partition: 0, collector: { send: (r) => sent.push(r) }, stateDir: '/nonexistent', clock: new ManualClock(0), logger: silentLogger });
    return { t, sent };
  }
  const raw = (offset: string) => ({ topic: 'in', partition: 0, offset, key: Buffer.from('a'), value: Buffer.from('v'), timestamp: 100, headers: {} });

  test('what the write-down forwards to an async processor lands before the commit resolves', async () => {
    const { t, sent } = task(false);
    await t.init();
    await t.process(raw('0'));
    await t.process(raw('1'));
    await t.commit();
    expect(sent.filter((r) => r.topic === 'out').map((r) => r.value?.toString())).toEqual(['count 2']);
  });

  test('its failure fails the commit (not the next record)', async () => {
    const { t } = task(true);
    await t.init();
    await t.process(raw('0'));
    await expect(t.commit()).rejects.toThrow(/failed on what a commit wrote down: count 1 refused/);
  });
});
