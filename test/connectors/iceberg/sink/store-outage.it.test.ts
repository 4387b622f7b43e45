import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { LakeSink } from '../../../../connectors/iceberg/sink/lake-sink.ts';
import { sinkConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import { currentSnapshot } from '../../../../connectors/iceberg/metadata/table-metadata.ts';
import { testCatalog } from '../harness.ts';
import { createTopics, kafka, produceJson, unique, waitFor } from '../kafka-support.ts';
import { PrivateStore } from '../private-store.ts';
import { pyiceberg } from '../pyiceberg.ts';

const RECORDS = 40_000;
const T0 = Date.UTC(2026, 10, 1);

describe('lake sink with the object store down for 30 seconds', () => {
  const store = new PrivateStore();
  let env: Awaited<ReturnType<typeof testCatalog>>;
  const k = kafka();
  const admin = k.admin();
  const topic = unique('lake-outage');
  const ns = ['outage_it'];
  const table = `events_${process.pid}`;
  const logs: string[] = [];

  beforeAll(async () => {
    await store.start();
    env = await testCatalog('outage', store.endpoint);
    await admin.connect();
    await createTopics(admin, [topic], 3);
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await env?.catalog.close();
    env?.io.close();
    await store.destroy();
  });

  it('pauses, retries with backoff, and loses or duplicates nothing', async () => {
    const sink = new LakeSink(
      sinkConfig({
        brokers: loadConfig().kafka.brokers,
        groupId: unique('lake-outage-group'),
        catalogUrl: env.catalog.url,
        s3: { ...loadConfig().s3, endpoint: store.endpoint },
        tables: [{ topics: [topic], namespace: ns, table, format: 'json', schema: { type: 'record', name: 'E', fields: [{ name: 'id', type: 'long' }, { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' } }] } }],
        commitIntervalMs: 1000,
        rollBytes: 128 * 1024,
        retryMaxMs: 2000,
      }),
      (m) => logs.push(m),
    );
    const total = async () => {
      const t = await env.client.loadTable(ns, table).catch(() => undefined);
      return Number(t ? currentSnapshot(t.metadata)?.summary['total-records'] ?? 0 : 0);
    };
    await sink.start();
    // Production continues through the outage, in slices: the first half before it, the
    // second half only once the store is down (gated, not raced: a slow first commit must
    // not let the sink consume everything before the outage, leaving it nothing to retry).
    let produced = 0;
    let outageStarted!: () => void;
    const outage = new Promise<void>((r) => (outageStarted = r));
    const producing = (async () => {
      for (; produced < RECORDS; produced += 1000) {
        if (produced === RECORDS / 2) await outage;
        await produceJson(k, topic, produced, produced + 1000, (i) => ({ id: i, event_time: T0 + i }));
        await new Promise((r) => setTimeout(r, 700));
      }
    })();
    await waitFor(async () => (await total()) > 0, 120_000, 'a first commit');
    await store.stop();
    outageStarted();
    const down = Date.now();
    await new Promise((r) => setTimeout(r, 30_000));
    const retriesWhileDown = sink.stats.retries;
    const totalWhileDown = sink.stats.records;
    await store.start();
    console.log(`[outage test] store down ${Math.round((Date.now() - down) / 1000)} s, ${retriesWhileDown} retries meanwhile`);
    await producing;
    await waitFor(async () => (await total()) === RECORDS, 180_000, `${RECORDS} records`).catch(async (err: Error) => {
      throw new Error(`${err.message}; table has ${await total()}, sink stats ${JSON.stringify(sink.stats)}, error ${String(sink.error)}\n${logs.slice(-15).join('\n')}`);
    });
    await sink.stop();
    expect(retriesWhileDown).toBeGreaterThan(0);
    expect(totalWhileDown).toBeLessThan(RECORDS); // consumption paused while the store was down
    expect(logs.some((l) => /object store unavailable.*retry \d+ in \d+ ms \(consumption paused\)/.test(l))).toBe(true);
    const [distinct] = (await pyiceberg(env.catalog.url, `${ns[0]}.${table}`, [{ op: 'distinct', column: 'id' }], store.endpoint)) as [{ count: number; distinct: number }];
    expect(distinct).toEqual({ count: RECORDS, distinct: RECORDS });
  }, 400_000);
});
