import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { Topology } from '../../../runtime/dsl/topology.ts';
import type { Logger } from '../../../runtime/errors/logger.ts';
import type { Processor, ProcessorContext } from '../../../runtime/processor/processor.ts';
import type { StreamRecord } from '../../../runtime/processor/record.ts';
import { Serdes } from '../../../runtime/serde/serdes.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { brokerSuite, brokers, createTopics, unique } from './streams-support.ts';

/*
 * Under exactly_once one commit interval of one task may produce far more than the
 * broker's message.max.bytes (about 1 MB). The channel splits it into produce requests
 * under producerBatchBytes, all in the same transaction; a single record over the limit
 * fails the instance with RECORD_TOO_LARGE instead of retrying forever.
 */

/** Emits `fanOut` records of `valueBytes` bytes per input record (a flatMap). */
class FanOut implements Processor<string, string, string, string> {
  private context!: ProcessorContext<string, string>;
  constructor(
    private readonly fanOut: number,
    private readonly valueBytes: number,
  ) {}
  init(context: ProcessorContext<string, string>): void {
    this.context = context;
  }
  process(record: StreamRecord<string, string>): void {
    for (let i = 0; i < this.fanOut; i++) {
      const key = `${record.key}-${i}`;
      this.context.forward({ key, value: key.padEnd(this.valueBytes, 'x'), timestamp: record.timestamp, headers: {} });
    }
  }
}

function fanOutTopology(input: string, output: string, fanOut: number, valueBytes: number): Topology {
  return new Topology()
    .addSource('source', input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .addProcessor('fan-out', () => new FanOut(fanOut, valueBytes), 'source')
    .addSink('sink', output, { keySerde: Serdes.String(), valueSerde: Serdes.String() }, 'fan-out');
}

/** Reads `topic` read_committed until `count` records arrived (or the timeout); returns key -> value length. */
async function readAll(kafka: Kafka, topic: string, count: number, timeoutMs: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: unique('task-it-large-reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key!.toString();
      expect(message.value!.length).toBeGreaterThanOrEqual(10_000);
      expect(message.value!.toString().startsWith(key)).toBe(true);
      seen.push(key);
      if (seen.length >= count) finish();
    },
  });
  const timer = setTimeout(finish, timeoutMs);
  await finished;
  clearTimeout(timer);
  // A short grace period: any duplicate would show up right behind the last record.
  await new Promise((r) => setTimeout(r, 1000));
  await consumer.disconnect();
  return seen;
}

function capturingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, warn: () => {}, error: (message, fields) => void errors.push(`${message} ${JSON.stringify(fields ?? {})}`) };
}

describe('exactly_once with a large output per commit interval', () => {
  const suite = brokerSuite('task-it-large');
  const { prefix } = suite;

  it('splits several MB of one transaction into requests under the broker limit', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    await createTopics(suite.admin, [input, output], 1);
    const inputs = 6;
    const fanOut = 100;
    const producer = suite.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: input, messages: Array.from({ length: inputs }, (_, i) => ({ key: `in${i}`, value: `v${i}` })) });
    await producer.disconnect();
    const logger = capturingLogger();
    const streams = new KafkaStreams(fanOutTopology(input, output, fanOut, 10_000), {
      applicationId: `${prefix}-app`,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      commitIntervalMs: 3000, // the ~6 MB of all six inputs go into one transaction
      stateDir: suite.stateDir,
      httpPort: 0,
      logger,
    });
    await streams.start();
    try {
      const seen = await readAll(suite.kafka, output, inputs * fanOut, 120_000);
      const expected = Array.from({ length: inputs }, (_, i) => Array.from({ length: fanOut }, (_, j) => `in${i}-${j}`)).flat();
      expect(seen).toEqual(expected);
      expect(streams.state).toBe('RUNNING');
      expect((await streams.metrics.taskRecoveries.get()).values).toEqual([]);
      expect(logger.errors).toEqual([]);
    } finally {
      await streams.close();
    }
  }, 180_000);

  it('fails with RECORD_TOO_LARGE, naming the topic and size, for a record over the broker limit', async () => {
    const input = `${prefix}-big-in`;
    const output = `${prefix}-big-out`;
    await createTopics(suite.admin, [input, output], 1);
    const producer = suite.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: input, messages: [{ key: 'big', value: 'v' }] });
    await producer.disconnect();
    const logger = capturingLogger();
    const streams = new KafkaStreams(fanOutTopology(input, output, 1, 1_200_000), {
      applicationId: `${prefix}-big-app`,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      stateDir: suite.stateDir,
      httpPort: 0,
      logger,
    });
    const failed = new Promise<void>((resolve) => streams.setStateListener((now) => now === 'ERROR' && resolve()));
    await streams.start();
    try {
      await failed;
      const log = logger.errors.join('\n');
      expect(log).toContain('RECORD_TOO_LARGE');
      expect(log).toContain(`topic ${output}`);
      expect(log).toContain('1200005 bytes');
      expect(logger.errors.filter((e) => e.includes('producing output failed'))).toHaveLength(1);
    } finally {
      await streams.close();
    }
  }, 120_000);
});
