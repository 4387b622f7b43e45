import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { LakeSink } from '../../../../connectors/iceberg/sink/lake-sink.ts';
import { offsetsOf } from '../../../../connectors/iceberg/sink/offsets.ts';
import { sinkConfig, type SinkTableConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import { unique, waitFor } from '../kafka-support.ts';
import { pyiceberg } from '../pyiceberg.ts';
import { lakeSinkSuite } from './sink-suite.ts';

/**
 * A topic written in transactions (as every streamhouse topology writes its output) holds
 * a commit or abort marker after each transaction, and aborted records, none of which a
 * read_committed consumer sees. The sink must step over them: once it has caught up, the
 * offsets in the table equal the partitions' end offsets (a monitor sees lag 0, a restart
 * re-reads nothing), and only the committed transactions' records are in the table.
 */
describe('lake sink: transactional input', () => {
  const topic = unique('lake-txn');
  const ns = ['txn_it'];
  const table = `events_${process.pid}`;
  const PARTITIONS = 2;
  const suite = lakeSinkSuite('txn', { namespace: ns, tables: [table], topics: [topic], partitions: PARTITIONS });
  const { kafka: k, admin } = suite;
  const tables: SinkTableConfig[] = [{
    topics: [topic], namespace: ns, table, format: 'json', partitionBy: [],
    schema: { type: 'record', name: 'Event', fields: [{ name: 'id', type: 'long' }] },
  }];

  const tableOffsets = async () => {
    const loaded = await suite.env.client.loadTable(ns, table);
    return Object.fromEntries([...((loaded ? offsetsOf(loaded.metadata).get(topic) : undefined) ?? new Map<number, bigint>())].map(([p, o]) => [p, Number(o)]));
  };
  const endOffsets = async () => Object.fromEntries((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));

  it('commits the offsets past every marker and aborted record, and holds only committed records', async () => {
    const producer = k.producer({ transactionalId: unique('lake-txn-producer'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const committedIds: number[] = [];
    let next = 0;
    const transaction = async (n: number, outcome: 'commit' | 'abort') => {
      const txn = await producer.transaction();
      const ids = Array.from({ length: n }, () => next++);
      await txn.send({ topic, messages: ids.map((id) => ({ key: String(id), value: JSON.stringify({ id }) })) });
      if (outcome === 'commit') {
        await txn.commit();
        committedIds.push(...ids);
      } else await txn.abort();
    };
    const sink = new LakeSink(sinkConfig({ brokers: loadConfig().kafka.brokers, groupId: unique('lake-txn-group'), catalogUrl: suite.env.catalog.url, s3: loadConfig().s3, tables, commitIntervalMs: 500 }), () => undefined);
    try {
      // Before the sink starts: committed, aborted, committed; the topic ends with a marker.
      await transaction(40, 'commit');
      await transaction(10, 'abort');
      await transaction(40, 'commit');
      await sink.start();
      const caughtUp = async () => JSON.stringify(await tableOffsets()) === JSON.stringify(await endOffsets());
      await waitFor(caughtUp, 120_000, 'table offsets at the end offsets (first part)');
      // While it runs: a committed transaction, then an aborted one last, so the partitions end
      // with aborted records and their abort marker, which no message follows.
      await transaction(30, 'commit');
      await transaction(20, 'abort');
      await waitFor(caughtUp, 120_000, 'table offsets at the end offsets (second part)');
    } finally {
      await sink.stop();
      await producer.disconnect();
    }
    // Every partition's end is past its last committed record: markers and aborted records lie there.
    const ends = await endOffsets();
    expect(Object.values(ends).reduce((a, b) => a + b, 0)).toBeGreaterThan(committedIds.length);
    expect(await tableOffsets()).toEqual(ends);
    const [rows] = (await pyiceberg(suite.env.catalog.url, `${ns[0]}.${table}`, [{ op: 'rows', order_by: 'id' }])) as [{ id: number }[]];
    expect(rows.map((r) => r.id)).toEqual(committedIds);
  }, 300_000);
});
