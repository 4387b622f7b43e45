import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { LakeSink } from '../../../../connectors/iceberg/sink/lake-sink.ts';
import { sinkConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import { offsetsOf } from '../../../../connectors/iceberg/sink/offsets.ts';
import { produceJson, unique, waitFor } from '../kafka-support.ts';
import { pyiceberg } from '../pyiceberg.ts';
import { lakeSinkSuite } from './sink-suite.ts';

const CUSTOMERS = 200;
const ROUNDS = 3;

describe('lake sink into an upsert table (primary key, position deletes)', () => {
  const topic = unique('lake-customers');
  const ns = ['upsert_it'];
  const table = `customers_${process.pid}`;
  const suite = lakeSinkSuite('upsert', { namespace: ns, tables: [table], topics: [topic], partitions: 2 });
  const k = suite.kafka;

  it('keeps exactly one current row per key, the latest', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await produceJson(k, topic, round * CUSTOMERS, (round + 1) * CUSTOMERS, (i) => ({ customer_id: i % CUSTOMERS, name: `c${i % CUSTOMERS}`, tier: `tier-${round}` }), 5000, (i) => String(i % CUSTOMERS));
      // The Kafka key is the primary key: all versions of a customer share a partition, in order.
    }
    const sink = new LakeSink(
      sinkConfig({
        brokers: loadConfig().kafka.brokers, groupId: unique('lake-upsert-group'), catalogUrl: suite.env.catalog.url, s3: loadConfig().s3,
        tables: [{
          topics: [topic], namespace: ns, table, format: 'json', key: ['customer_id'],
          schema: { type: 'record', name: 'Customer', fields: [{ name: 'customer_id', type: 'long' }, { name: 'name', type: 'string' }, { name: 'tier', type: 'string' }] },
        }],
        commitIntervalMs: 1000,
        rollBytes: 8 * 1024, // several upsert commits
      }),
      () => undefined,
    );
    await sink.start();
    await waitFor(async () => {
      const t = await suite.env.client.loadTable(ns, table);
      const o = t ? offsetsOf(t.metadata).get(topic) : undefined;
      return [...(o?.values() ?? [])].reduce((n, x) => n + Number(x), 0) === CUSTOMERS * ROUNDS;
    }, 120_000, 'all updates committed');
    await sink.stop();
    const [rows, distinct, files, snaps] = (await pyiceberg(suite.env.catalog.url, `${ns[0]}.${table}`, [
      { op: 'rows', order_by: 'customer_id' }, { op: 'distinct', column: 'customer_id' }, { op: 'files' }, { op: 'snapshots' },
    ])) as [{ customer_id: number; tier: string }[], { count: number; distinct: number }, { delete_files: number }, unknown[]];
    expect(distinct).toEqual({ count: CUSTOMERS, distinct: CUSTOMERS });
    expect(new Set(rows.map((r) => r.tier))).toEqual(new Set([`tier-${ROUNDS - 1}`]));
    expect(files.delete_files).toBeGreaterThan(0);
    expect(snaps.length).toBeGreaterThan(1);
  });
});
