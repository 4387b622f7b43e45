import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import type { StreamsState } from '../../../runtime/task/streams-state.ts';
import { Topology } from '../../../runtime/dsl/topology.ts';
import type { Processor, ProcessorContext } from '../../../runtime/processor/processor.ts';
import type { StreamRecord } from '../../../runtime/processor/record.ts';
import { Serdes } from '../../../runtime/serde/serdes.ts';
import { countTopology } from '../../fixtures/count-topology.ts';
import { brokers, client, createTopics, deleteTopics, irregularKeys, produceKeys, reached, readCounts, unique } from './streams-support.ts';

class SlowProcessor implements Processor<string, string, string, string> {
  private context!: ProcessorContext<string, string>;
  private n = 0;
  init(context: ProcessorContext<string, string>): void {
    this.context = context;
  }
  process(record: StreamRecord<string, string>): void | Promise<void> {
    this.context.forward(record);
    if (++this.n % 10 === 0) return new Promise<void>((r) => setTimeout(r, 1));
  }
}

describe('KafkaStreams on the real broker (one instance in process)', () => {
  const prefix = unique('task-it-ks');
  let kafka: Kafka;
  let admin: Admin;
  let stateDir: string;

  beforeAll(async () => {
    kafka = client();
    admin = kafka.admin();
    await admin.connect();
    stateDir = await mkdtemp(join(tmpdir(), 'task-it-'));
  });

  afterAll(async () => {
    await deleteTopics(admin, [], prefix);
    await admin.disconnect();
    await rm(stateDir, { recursive: true, force: true });
  });

  for (const guarantee of ['at_least_once', 'exactly_once'] as const) {
    it(`counts 6 partitions exactly under ${guarantee}, serves /metrics and /readyz`, async () => {
      const input = `${prefix}-${guarantee}-in`;
      const output = `${prefix}-${guarantee}-out`;
      await createTopics(admin, [input, output], 6);
      const expected = await produceKeys(kafka, input, 0, 3000, 200);
      const streams = new KafkaStreams(countTopology({ input, output }), {
        applicationId: `${prefix}-${guarantee}-app`,
        bootstrapServers: brokers(),
        processingGuarantee: guarantee,
        commitIntervalMs: 200,
        stateDir,
        httpPort: 0,
        logger: silentLogger,
      });
      const states: StreamsState[] = [];
      streams.setStateListener((s) => states.push(s));
      await streams.start();
      try {
        const perKey = await readCounts(kafka, output, (seen) => reached(expected, seen, guarantee === 'at_least_once'), 90_000);
        // at_least_once may repeat work after a rebalance (a slow machine can trigger one),
        // so it is held to "nothing lost"; exactly_once to "exactly 1..n per key".
        expect(irregularKeys(expected, perKey, guarantee === 'at_least_once')).toEqual([]);
        expect(streams.state).toBe('RUNNING');
        const { port } = streams.httpAddress();
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(ready.status).toBe(200);
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(metrics).toMatch(new RegExp(`streamhouse_records_consumed_total\\{[^}]*topic="${input}"[^}]*\\} 3000`));
        expect(metrics).toContain('streamhouse_commit_latency_seconds_bucket');
        expect(metrics).toMatch(/streamhouse_processor_records_total\{[^}]*processor="count"[^}]*\} 3000/);
      } finally {
        await streams.close();
      }
      expect(states).toEqual(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
    });
  }

  it('pauses partitions whose task cannot keep up and resumes them, losing nothing', async () => {
    const input = `${prefix}-bp-in`;
    const output = `${prefix}-bp-out`;
    await createTopics(admin, [input, output], 2);
    const expected = await produceKeys(kafka, input, 0, 2000, 2000);
    // A processor that waits a little for every 10th record: processing is slower than consuming.
    const topology = new Topology()
      .addSource('source', input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .addProcessor('slow', () => new SlowProcessor(), 'source')
      .addSink('sink', output, { keySerde: Serdes.String(), valueSerde: Serdes.String() }, 'slow');
    const streams = new KafkaStreams(topology, {
      applicationId: `${prefix}-bp-app`,
      bootstrapServers: brokers(),
      processingGuarantee: 'exactly_once',
      bufferedRecordsPerPartition: 20,
      stateDir,
      httpEnabled: false,
      logger: silentLogger,
    });
    await streams.start();
    try {
      const consumer = kafka.consumer({ groupId: unique('task-it-bp-reader'), readUncommitted: false });
      const keys = new Set<string>();
      await consumer.connect();
      await consumer.subscribe({ topic: output, fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            keys.add(message.key!.toString());
            if (keys.size === expected.size) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(keys.size).toBe(2000);
      const pauses = await streams.metrics.registry.getSingleMetricAsString('streamhouse_backpressure_pauses_total');
      const paused = Number(/\} (\d+)$/m.exec(pauses)?.[1] ?? 0);
      expect(paused).toBeGreaterThan(0);
    } finally {
      await streams.close();
    }
  });
});
