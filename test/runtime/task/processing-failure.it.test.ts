import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import type { Processor, ProcessorContext } from '../../../runtime/processor/processor.ts';
import type { StreamRecord } from '../../../runtime/processor/record.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { brokerSuite, brokers, createTopics, unique } from './streams-support.ts';

/*
 * A record that fails processing under exactly_once and logAndFail: the instance goes to
 * ERROR and, when closed, its task closes dirty. What the failed record had already
 * forwarded is not committed, and the committed input offset stays at the failed record,
 * which is read again by the next run, even when a transaction marker lies behind it (the
 * offsets a task commits step over filtered records only once the records before them were
 * processed, not merely taken off the queue).
 */
const STR = new StringSerde();

/** Forwards `seen:<value>`, then throws for the value 'poison' (its output is already sent). */
class ForwardThenFail implements Processor<string, string, string, string> {
  private context!: ProcessorContext<string, string>;
  init(context: ProcessorContext<string, string>): void {
    this.context = context;
  }
  process(record: StreamRecord<string, string>): void {
    this.context.forward({ ...record, value: `seen:${record.value}` });
    if (record.value === 'poison') throw new Error('poison record');
  }
}

describe('a record that fails processing (logAndFail)', () => {
  const suite = brokerSuite('task-it-failure');
  const { prefix } = suite;

  /** Runs the app over [a, b, poison] + a commit marker until ERROR, closes it; returns the committed input offset and the committed output. */
  async function failOnce(name: string, guarantee: 'exactly_once' | 'at_least_once'): Promise<{ offset: number; values: string[] }> {
    const input = `${prefix}-${name}-in`;
    const output = `${prefix}-${name}-out`;
    await createTopics(suite.admin, [input, output], 1);
    const producer = suite.kafka.producer({ transactionalId: unique('failure-input'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: input, messages: ['a', 'b', 'poison'].map((value) => ({ key: 'k', value })) });
    await txn.commit();
    await producer.disconnect();

    const b = new StreamsBuilder();
    b.stream(input, { keySerde: STR, valueSerde: STR }).process(() => new ForwardThenFail()).to(output, { keySerde: STR, valueSerde: STR });
    const applicationId = `${prefix}-${name}-app`;
    const streams = new KafkaStreams(b.build(), {
      applicationId, bootstrapServers: brokers(), processingGuarantee: guarantee, stateDir: join(suite.stateDir, name), httpPort: 0, logger: silentLogger,
      commitIntervalMs: 600_000, // nothing is committed before the failure: only the close could commit
    });
    const failed = new Promise<void>((resolve) => streams.setStateListener((next) => (next === 'ERROR' ? resolve() : undefined)));
    await streams.start();
    await failed;
    await streams.close();

    const [committed] = await suite.admin.fetchOffsets({ groupId: applicationId, topics: [input] });
    const values: string[] = [];
    const reader = suite.kafka.consumer({ groupId: unique('failure-reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
    await reader.connect();
    await reader.subscribe({ topic: output, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    // Output that was committed shows within a second or two: give it 5 s to appear.
    await new Promise((r) => setTimeout(r, 5_000));
    await reader.disconnect();
    return { offset: Number(committed!.partitions[0]!.offset), values };
  }

  it('exactly_once: the task closes dirty, committing neither the partial output nor any offset', async () => {
    expect(await failOnce('eos', 'exactly_once')).toEqual({ offset: -1, values: [] });
  });

  it('at_least_once: the committed offset is the failed record (read again), not past the marker behind it', async () => {
    const { offset, values } = await failOnce('alos', 'at_least_once');
    expect(offset).toBe(2);
    // The records before it were processed; the failed record's own output may be there too (at least once).
    expect(values.slice(0, 2)).toEqual(['seen:a', 'seen:b']);
  });
});
