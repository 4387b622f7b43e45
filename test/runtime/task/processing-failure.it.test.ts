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
 * A record that fails processing under logAndFail: the instance goes to ERROR, its tasks
 * close dirty and it leaves the group, as a Kafka Streams thread that dies. Under
 * exactly_once nothing the failed record had forwarded is committed; under either guarantee
 * no offset is committed past it (here: none at all), though a commit marker lies behind it.
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
  async function failOnce(name: string, guarantee: 'exactly_once' | 'at_least_once'): Promise<{ left: boolean; offset: number; values: string[] }> {
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
    // It leaves the group on its own, before any close: the others would take its partitions.
    const deadline = Date.now() + 60_000;
    const members = async () => (await suite.admin.describeGroups([applicationId])).groups[0]!.members.length;
    while ((await members()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const left = (await members()) === 0;
    await streams.close();

    const [committed] = await suite.admin.fetchOffsets({ groupId: applicationId, topics: [input] });
    // A sentinel written after the close: once it is read, everything committed before it was.
    const marker = suite.kafka.producer();
    await marker.connect();
    await marker.send({ topic: output, messages: [{ key: 'k', value: 'sentinel' }] });
    await marker.disconnect();
    const values: string[] = [];
    const reader = suite.kafka.consumer({ groupId: unique('failure-reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
    await reader.connect();
    await reader.subscribe({ topic: output, fromBeginning: true });
    let sentinel!: () => void;
    const read = new Promise<void>((resolve) => (sentinel = resolve));
    await reader.run({
      eachMessage: async ({ message }) => {
        const value = message.value!.toString();
        if (value === 'sentinel') sentinel();
        else values.push(value);
      },
    });
    await read;
    await reader.disconnect();
    return { left, offset: Number(committed!.partitions[0]!.offset), values };
  }

  it('exactly_once: the task closes dirty, committing neither the partial output nor any offset', async () => {
    expect(await failOnce('eos', 'exactly_once')).toEqual({ left: true, offset: -1, values: [] });
  });

  it('at_least_once: the task closes dirty too, committing no offset: the failed record and those before it are read again', async () => {
    const { left, offset, values } = await failOnce('alos', 'at_least_once');
    expect(left).toBe(true);
    expect(offset).toBe(-1);
    // At least once: what was produced before the failure may be out (and comes again on the next run).
    expect(values.slice(0, 2)).toEqual(['seen:a', 'seen:b']);
  });
});
