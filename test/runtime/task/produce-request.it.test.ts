import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { installProduceEncoder } from '../../../runtime/task/internal/produce-request.ts';
import { brokerSuite, createTopics, readUntil, unique } from './streams-support.ts';

const PRODUCE = 0;

/*
 * kafkajs producers with our Produce request encoder, against a real broker: what a
 * transactional and an idempotent producer send is stored as sent (keys, values, null keys,
 * headers, timestamps, per-partition order), and read back by a read_committed consumer.
 * The broker checks each batch's CRC and sequence numbers, so a wrong byte fails the send.
 */
describe('Produce requests written by produce-request.ts', () => {
  const suite = brokerSuite('task-it-produce');

  interface Sent {
    key: string | null;
    value: string;
    timestamp: string;
    header: string;
  }

  async function roundTrip(transactional: boolean): Promise<void> {
    expect(installProduceEncoder()).toBe(true);
    const topic = `${suite.prefix}-${transactional ? 'txn' : 'idem'}`;
    await createTopics(suite.admin, [topic], 3);
    const producer = suite.kafka.producer(transactional ? { transactionalId: unique('produce-txn'), idempotent: true, maxInFlightRequests: 1 } : { idempotent: true, maxInFlightRequests: 1 });
    let produceRequests = 0;
    producer.on(producer.events.REQUEST, (e) => {
      if (e.payload.apiKey === PRODUCE) produceRequests++;
    });
    await producer.connect();
    const base = Date.UTC(2026, 10, 26, 12);
    const sent: Sent[] = Array.from({ length: 600 }, (_, i) => ({
      key: i % 50 === 0 ? null : `key-${i % 17}`,
      value: `value ${i} ${'é'.repeat(i % 90)}`,
      // Out of order within a batch: the batch's base timestamp is its smallest.
      timestamp: String(base + ((i * 7919) % 100_000)),
      header: `h-${i}`,
    }));
    const messages = (part: Sent[]) => part.map((s, i) => ({ key: s.key, value: s.value, timestamp: s.timestamp, headers: { lineage: s.header }, partition: i % 3 }));
    if (transactional) {
      for (let from = 0; from < sent.length; from += 200) {
        const txn = await producer.transaction();
        await txn.send({ topic, messages: messages(sent.slice(from, from + 200)) });
        await txn.commit();
      }
    } else {
      for (let from = 0; from < sent.length; from += 200) await producer.send({ topic, messages: messages(sent.slice(from, from + 200)) });
    }
    await producer.disconnect();
    expect(produceRequests).toBeGreaterThanOrEqual(3);

    const read: Sent[] = [];
    await readUntil(
      suite.kafka,
      topic,
      (m: KafkaMessage) => {
        read.push({ key: m.key?.toString() ?? null, value: m.value!.toString(), timestamp: m.timestamp, header: m.headers!.lineage!.toString() });
        return read.length === sent.length;
      },
      20_000,
    );
    const byHeader = new Map(read.map((r) => [r.header, r]));
    expect(read).toHaveLength(sent.length);
    for (const s of sent) expect(byHeader.get(s.header), s.header).toMatchObject({ key: s.key, value: s.value, timestamp: s.timestamp });
    // Per partition, records are read in the order they were sent.
    const order = read.map((r) => Number(r.header.slice(2)));
    for (let p = 0; p < 3; p++) {
      const inPartition = order.filter((i) => i % 200 % 3 === p);
      const sentOrder = sent.map((_, i) => i).filter((i) => i % 200 % 3 === p);
      expect(inPartition).toEqual(sentOrder);
    }
  }

  it('a transactional producer\'s records are stored and read back as sent', () => roundTrip(true), 60_000);
  it('an idempotent producer\'s records are stored and read back as sent', () => roundTrip(false), 60_000);
});
