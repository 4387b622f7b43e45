import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { Serdes } from '../../../runtime/serde/serdes.ts';
import { brokerSuite, createTopics, readCounts, suiteStreams } from './streams-support.ts';

/*
 * An instance reads its changelogs and global topics through consumer groups of its own,
 * named after its process id (kafkajs cannot consume without a group). They are deleted
 * at close; the application group, which holds the committed offsets, stays.
 */
describe('KafkaStreams private consumer groups', () => {
  const suite = brokerSuite('task-it-groups');
  const { prefix } = suite;

  it('deletes the restore and global groups at close and keeps the application group', async () => {
    const customers = `${prefix}-customers`;
    const orders = `${prefix}-orders`;
    const output = `${prefix}-counts`;
    const applicationId = `${prefix}-app`;
    await createTopics(suite.admin, [customers, orders, output], 2);
    const producer = suite.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: customers, messages: [{ key: 'c1', value: 'Ada' }] });
    await producer.send({ topic: orders, messages: Array.from({ length: 10 }, (_, i) => ({ key: `o${i}`, value: 'c1' })) });
    await producer.disconnect();

    // A global table (the global reader) and a count store with a changelog (the restore reader).
    const builder = new StreamsBuilder();
    const names = builder.globalTable(customers, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
    builder
      .stream(orders, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .join(names, (_order, customer) => customer, (_customer, name) => name)
      .groupBy((_order, name) => name, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .count({ store: 'orders-per-name' })
      .toStream()
      .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
    const streams = suiteStreams(suite, builder.build(), applicationId);
    const groupsOfApp = async (): Promise<string[]> =>
      (await suite.admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(applicationId)).sort();

    await streams.start();
    let running: string[];
    try {
      await readCounts(suite.kafka, output, (seen) => seen.get('Ada')?.includes(10) === true, 60_000);
      running = await groupsOfApp();
    } finally {
      await streams.close();
    }
    // While running: the application group and one private group per reader.
    expect(running.filter((g) => g.startsWith(`${applicationId}-restore-`))).toHaveLength(1);
    expect(running.filter((g) => g.startsWith(`${applicationId}-global-`))).toHaveLength(1);
    expect(running).toContain(applicationId);

    expect(await groupsOfApp()).toEqual([applicationId]);
    const offsets = await suite.admin.fetchOffsets({ groupId: applicationId, topics: [orders] });
    expect(offsets[0]!.partitions.map((p) => Number(p.offset)).reduce((a, b) => a + Math.max(0, b), 0)).toBeGreaterThanOrEqual(10);
  });
});
