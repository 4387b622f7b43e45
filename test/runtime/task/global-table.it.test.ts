import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { Serdes } from '../../../runtime/serde/serdes.ts';
import { brokerSuite, createTopics, suiteStreams, unique } from './streams-support.ts';

/* A GlobalKTable on the real broker: every partition of its topic is read into the store
 * before the stream tasks start, and later updates keep arriving. */
describe('KafkaStreams with a GlobalKTable', () => {
  const suite = brokerSuite('task-it-global');
  const { prefix } = suite;

  it('joins a stream with a global table bootstrapped from all partitions, then follows its updates', async () => {
    const customers = `${prefix}-customers`;
    const orders = `${prefix}-orders`;
    const output = `${prefix}-enriched`;
    await createTopics(suite.admin, [customers], 2);
    await createTopics(suite.admin, [orders, output], 3);
    const producer = suite.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }); // no duplicates on retries
    await producer.connect();
    await producer.send({ topic: customers, messages: Array.from({ length: 50 }, (_, i) => ({ key: `c${i}`, value: `name-${i}` })) });

    const builder = new StreamsBuilder();
    const table = builder.globalTable(customers, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
    builder
      .stream(orders, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .join(table, (_orderId, customerId) => customerId, (customerId, name) => `${customerId}:${name}`)
      .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
    const streams = suiteStreams(suite, builder.build(), `${prefix}-app`);
    await streams.start();
    const seen = new Map<string, string>();
    const consumer = suite.kafka.consumer({ groupId: unique('task-it-global-reader'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: output, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.set(message.key!.toString(), message.value!.toString()) });
    try {
      await producer.send({ topic: orders, messages: Array.from({ length: 50 }, (_, i) => ({ key: `o${i}`, value: `c${i}` })) });
      await until(() => seen.size === 50);
      expect([...seen].sort()).toEqual(Array.from({ length: 50 }, (_, i) => [`o${i}`, `c${i}:name-${i}`]).sort());

      await producer.send({ topic: customers, messages: [{ key: 'c7', value: 'renamed' }] });
      let n = 0;
      await until(async () => {
        await producer.send({ topic: orders, messages: [{ key: `late${n++}`, value: 'c7' }] });
        return [...seen.values()].includes('c7:renamed');
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await streams.close();
    }
  });
});

async function until(probe: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}
