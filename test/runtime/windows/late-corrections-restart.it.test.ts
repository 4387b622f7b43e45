import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { JsonSerde } from '../../../runtime/serde/json-serde.ts';
import { LongSerde } from '../../../runtime/serde/long-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import { valueFieldTimestampExtractor } from '../../../runtime/time/timestamp-extractors.ts';
import { CORRECTION_HEADER, LATE_HEADERS } from '../../../runtime/windows/late-events.ts';
import { TimeWindows } from '../../../runtime/windows/time-windows.ts';
import { WindowedSerde } from '../../../runtime/windows/windowed-serde.ts';
import { brokers, client, createTopics, deleteTopics, readUntil, unique } from '../task/streams-support.ts';

/*
 * Acceptance: 48-hour lateness on the real broker with a restart in the middle. Hourly
 * tumbling sums, grace 48 h, emit on time with late corrections, in-memory stores (so
 * after the restart the window and its stream time exist only through the changelogs),
 * and a fresh state directory for the second instance.
 */
const H = 3_600_000;
// Three days ago, on the hour: records stay inside the broker's default 7-day retention
// and never lie in the future (the broker refuses timestamps over 1 h ahead).
const T0 = Math.floor(Date.now() / H) * H - 72 * H;
const STR = new StringSerde();
const LONG = new LongSerde();
const JSON_ = new JsonSerde<{ at: number; amount: number }>();

interface Seen {
  key: string;
  start: number;
  sum: number;
  correction: boolean;
}

for (const guarantee of ['at_least_once', 'exactly_once'] as const)
  describe(`48-hour lateness across a restart (real broker, ${guarantee})`, () => {
    const prefix = unique('win-it');
    const input = `${prefix}-in`;
    const output = `${prefix}-out`;
    const appId = `${prefix}-app`;
    let kafka: Kafka;
    let admin: Admin;
    const dirs: string[] = [];

    beforeAll(async () => {
      kafka = client('win-it');
      admin = kafka.admin();
      await admin.connect();
      await createTopics(admin, [input, output], 2);
    });

    afterAll(async () => {
      await deleteTopics(admin, [input, output], appId);
      await admin.disconnect();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });

    function topology() {
      const b = new StreamsBuilder();
      b.stream(input, { keySerde: STR, valueSerde: JSON_, timestampExtractor: valueFieldTimestampExtractor('at') })
        .mapValues((v) => v.amount)
        .groupByKey({ valueSerde: LONG })
        .windowedBy(TimeWindows.tumbling({ size: '1h', grace: '48h' }))
        .emit('onTimeWithCorrections')
        .aggregate(
          () => 0,
          (_k, v, sum) => sum + v,
          { store: 'hourly', valueSerde: LONG },
        )
        .toStream()
        .to(output, { keySerde: new WindowedSerde(STR), valueSerde: LONG });
      return b.build();
    }

    async function start(): Promise<KafkaStreams> {
      const stateDir = await mkdtemp(join(tmpdir(), 'win-it-'));
      dirs.push(stateDir);
      const streams = new KafkaStreams(topology(), {
        applicationId: appId,
        bootstrapServers: brokers(),
        processingGuarantee: guarantee,
        commitIntervalMs: 100,
        stateDir,
        httpPort: 0,
        logger: silentLogger,
      });
      await streams.start();
      return streams;
    }

    async function send(records: [string, number, number][]): Promise<void> {
      const producer = kafka.producer();
      await producer.connect();
      // One message per send, in order, to partition by key as the app would.
      for (const [key, at, amount] of records)
        await producer.send({ topic: input, messages: [{ key, value: JSON.stringify({ at, amount }) }] });
      await producer.disconnect();
    }

    async function read<T>(
      topic: string,
      count: number,
      map: (m: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> }) => T,
    ): Promise<T[]> {
      const out: T[] = [];
      // Generous: each read waits for an instance to join its group, restore and commit.
      await readUntil(kafka, topic, (m) => out.push(map(m)) >= count, 90_000);
      return out;
    }

    const windowed = new WindowedSerde(STR);
    const seen = (m: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> }): Seen => {
      const k = windowed.deserialize(output, m.key);
      return {
        key: k.key,
        start: k.window.start,
        sum: LONG.deserialize(output, m.value),
        correction: String(m.headers?.[CORRECTION_HEADER] ?? '') === 'true',
      };
    };

    it('emits on time, then corrections before and after the restart, then sends records past 48 h to late events', async () => {
      const first = await start();
      await send([
        ['k', T0 + 10 * 60_000, 1],
        ['k', T0 + 20 * 60_000, 2],
        ['k', T0 + 3 * H, 100], // stream time passes the end of [T0, T0+1h): on-time result 3
        ['k', T0 + 30 * 60_000, 4], // 2.5 h late, within 48 h: correction 7
      ]);
      const before = (await read(output, 2, seen)).filter((s) => s.start === T0);
      expect(before).toEqual([
        { key: 'k', start: T0, sum: 3, correction: false },
        { key: 'k', start: T0, sum: 7, correction: true },
      ]);
      await first.close();

      const second = await start();
      try {
        await send([
          ['k', T0 + 40 * 60_000, 8], // after the restart: the restored window gives 15, still a correction
          ['k', T0 + 50 * H, 1], // stream time T0+50h >= end + 48h: [T0, T0+1h) is closed
          ['k', T0 + 45 * 60_000, 16], // late by 1 h + 1 ms: to the late-events topic
        ]);
        const all = await read(output, 4, seen);
        expect(all.filter((s) => s.start === T0)).toEqual([
          { key: 'k', start: T0, sum: 3, correction: false },
          { key: 'k', start: T0, sum: 7, correction: true },
          { key: 'k', start: T0, sum: 15, correction: true },
        ]);
        const late = await read(`${appId}-late-events`, 1, (m) => ({
          value: LONG.deserialize('late', m.value),
          eventTime: Number(String(m.headers?.[LATE_HEADERS.eventTimeMs])),
          reason: String(m.headers?.[LATE_HEADERS.reason]),
          missedBy: Number(String(m.headers?.[LATE_HEADERS.missedByMs])),
        }));
        expect(late).toEqual([{ value: 16, eventTime: T0 + 45 * 60_000, reason: 'window-closed', missedBy: H + 1 }]);
        const metrics = await second.metrics.registry.getSingleMetricAsString('streamhouse_records_produced_total');
        expect(metrics).toMatch(new RegExp(`topic="${appId}-late-events"[^}]*\\} 1`));
      } finally {
        await second.close();
      }
    });
  });
