import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../../../runtime/errors/exception-handlers.ts';
import { countTopology } from '../../fixtures/count-topology.ts';
import { brokerSuite, createTopics, reached, readCounts, suiteStreams, unique } from './streams-support.ts';

/*
 * Acceptance: poison pills (undecodable bytes) end up in the dead-letter topic with their
 * error headers, and processing continues with the records after them.
 */
describe('poison pills go to the dead-letter topic', () => {
  const suite = brokerSuite('task-it-dlq');
  const { prefix } = suite;

  it('writes each undecodable record with its error headers and keeps counting', async () => {
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    const dlq = `${prefix}-dlq`;
    await createTopics(suite.admin, [input, output], 3);
    const producer = suite.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }); // no duplicates on retries
    await producer.connect();
    const messages = [];
    const nextOffset = [0, 0, 0];
    const poisonOffsets = new Set<string>();
    const expected = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const poison = i % 50 === 7;
      const key = `k${i % 10}`;
      const partition = (i % 10) % 3;
      const offset = nextOffset[partition]!++;
      if (poison) poisonOffsets.add(`${partition}:${offset}`);
      else expected.set(key, (expected.get(key) ?? 0) + 1);
      messages.push({ key, value: poison ? Buffer.from([0xff, 0x00, 0x7b, i]) : JSON.stringify({ i }), partition });
    }
    await producer.send({ topic: input, messages });
    await producer.disconnect();

    const streams = suiteStreams(suite, countTopology({ input, output, values: 'json' }), `${prefix}-app`, { dlqTopic: dlq });
    await streams.start();
    try {
      const perKey = await readCounts(suite.kafka, output, (seen) => reached(expected, seen), 90_000);
      expect(new Map([...perKey].map(([k, v]) => [k, v[v.length - 1]]))).toEqual(expected);
      const consumer = suite.kafka.consumer({ groupId: unique('task-it-dlq-reader'), readUncommitted: false });
      const dead: { value: Buffer | null; headers: Record<string, string> }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: dlq, fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
            dead.push({ value: message.value, headers });
            if (dead.length === poisonOffsets.size) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(dead).toHaveLength(6);
      for (const d of dead) {
        expect(d.value![0]).toBe(0xff);
        expect(d.headers[DLQ_HEADERS.sourceTopic]).toBe(input);
        expect(poisonOffsets.has(`${d.headers[DLQ_HEADERS.sourcePartition]}:${d.headers[DLQ_HEADERS.sourceOffset]}`)).toBe(true);
        expect(d.headers[DLQ_HEADERS.processor]).toBe('source');
        expect(d.headers[DLQ_HEADERS.errorClass]).toBe('SyntaxError'); // JSON.parse of the bytes
        expect(d.headers[DLQ_HEADERS.errorMessage]).not.toBe('');
      }
      const metrics = await streams.metrics.registry.getSingleMetricAsString('streamhouse_dlq_records_total');
      expect(metrics).toMatch(new RegExp(`topic="${dlq}".*\\} 6`));
    } finally {
      await streams.close();
    }
  });
});
