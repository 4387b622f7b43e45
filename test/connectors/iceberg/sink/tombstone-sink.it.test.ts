import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { LakeSink } from '../../../../connectors/iceberg/sink/lake-sink.ts';
import { offsetsOf } from '../../../../connectors/iceberg/sink/offsets.ts';
import { sinkConfig, type SinkTableConfig } from '../../../../connectors/iceberg/sink/sink-config.ts';
import { readRows } from '../../../../connectors/iceberg/table/read-rows.ts';
import { unique, waitFor } from '../kafka-support.ts';
import { pyiceberg } from '../pyiceberg.ts';
import { lakeSinkSuite } from './sink-suite.ts';

/**
 * Tombstones on the real catalog and object store: in an upsert table (composite key, the
 * record key a JSON array of the key columns) a null value deletes the row, both when the
 * row was committed earlier (a position delete) and when it is still buffered; a row after
 * its tombstone comes back. Keys that do not decode are dead-lettered. An append-only table
 * ignores tombstones. A second sink over the same table replays nothing. The expected rows
 * come from the produced records themselves (the latest non-null value per key).
 */
type Msg = { key: string | null; value: string | null };
type Customer = { shop: string; customer_id: number; tier: string };

const SHOPS = ['north', 'south'];
const IDS = 30;

const customer = (shop: string, id: number, tier: string): Msg => ({ key: JSON.stringify([shop, id]), value: JSON.stringify({ shop, customer_id: id, tier }) });
const tombstone = (shop: string, id: number): Msg => ({ key: JSON.stringify([shop, id]), value: null });
const sortRows = (rows: Customer[]) => [...rows].sort((a, b) => a.shop.localeCompare(b.shop) || a.customer_id - b.customer_id);

/** The table a consumer of the topic would end with: the latest value per key, nulls removed. */
function expectedRows(messages: Msg[]): Customer[] {
  const latest = new Map<string, Customer | null>();
  for (const m of messages) {
    if (m.key === null || !m.key.startsWith('[')) continue; // a key that is not a JSON array names no row
    latest.set(m.key, m.value === null ? null : (JSON.parse(m.value) as Customer));
  }
  return sortRows([...latest.values()].filter((v): v is Customer => v !== null));
}

describe('lake sink: tombstones delete in upsert tables', () => {
  const topic = unique('lake-tombstones');
  const appendTopic = unique('lake-tombstones-append');
  const ns = ['tombstone_it'];
  const table = `customers_${process.pid}`;
  const appendTable = `events_${process.pid}`;
  const suite = lakeSinkSuite('tombstones', { namespace: ns, tables: [table, appendTable], topics: [topic, appendTopic, `${topic}.lake-dlq`], partitions: 2 });
  const k = suite.kafka;
  const producer = k.producer({ idempotent: true, maxInFlightRequests: 1 });
  const sent: Msg[] = [];
  let appendSent = 0;

  const tables: SinkTableConfig[] = [
    {
      topics: [topic], namespace: ns, table, format: 'json', key: ['shop', 'customer_id'], keyFormat: 'json-array', partitionBy: [],
      schema: { type: 'record', name: 'Customer', fields: [{ name: 'shop', type: 'string' }, { name: 'customer_id', type: 'long' }, { name: 'tier', type: 'string' }] },
    },
    {
      topics: [appendTopic], namespace: ns, table: appendTable, format: 'json', partitionBy: [],
      schema: { type: 'record', name: 'Event', fields: [{ name: 'id', type: 'long' }] },
    },
  ];
  const newSink = () => new LakeSink(sinkConfig({ brokers: loadConfig().kafka.brokers, groupId: unique('lake-tombstone-group'), catalogUrl: suite.env.catalog.url, s3: loadConfig().s3, tables, commitIntervalMs: 1000 }), () => undefined);

  const send = async (messages: Msg[]) => {
    // Keyed by the record key: every change of one customer goes to one partition, in order.
    await producer.send({ topic, messages });
    sent.push(...messages);
  };
  const committed = async (t: string, name: string) => {
    const loaded = await suite.env.client.loadTable(ns, name);
    const o = loaded ? offsetsOf(loaded.metadata).get(t) : undefined;
    return [...(o?.values() ?? [])].reduce((n, x) => n + Number(x), 0);
  };
  const untilCommitted = (t: string, name: string, count: () => number) => waitFor(async () => (await committed(t, name)) === count(), 120_000, `${name} committed up to ${count()} records`);
  const ourScan = async () => sortRows((await readRows(suite.env.io, (await suite.env.client.loadTable(ns, table))!.metadata)).map((r) => ({ shop: r.shop as string, customer_id: Number(r.customer_id), tier: r.tier as string })));
  const pyScan = async () => sortRows(((await pyiceberg(suite.env.catalog.url, `${ns[0]}.${table}`, [{ op: 'rows' }]))[0] as Customer[]));

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  it('deletes committed and buffered rows by record key, dead-letters bad keys, ignores tombstones in append-only tables, replays nothing', async () => {
    const sink = newSink();
    await sink.start();
    try {
      // 1. Rows, committed before any tombstone.
      await send(SHOPS.flatMap((shop) => Array.from({ length: IDS }, (_, id) => customer(shop, id, 'bronze'))));
      await untilCommitted(topic, table, () => sent.length);
      expect(await ourScan()).toHaveLength(SHOPS.length * IDS);

      // 2. Tombstones of committed rows (position deletes), of a row updated in the same
      //    batch, a delete followed by a re-insert, a delete of a key that never existed,
      //    and two keys that do not decode (not JSON, no key at all).
      await send([
        ...[0, 1, 2, 3, 4].map((id) => tombstone('north', id)),
        customer('south', 5, 'silver'),
        tombstone('south', 5),
        tombstone('south', 6),
        customer('south', 6, 'gold'),
        tombstone('west', 99),
        { key: 'north-7', value: null },
        { key: null, value: null },
        customer('south', 8, 'silver'),
      ]);
      await producer.send({ topic: appendTopic, messages: [{ key: 'a', value: '{"id":1}' }, { key: 'a', value: null }, { key: 'b', value: '{"id":2}' }] });
      appendSent = 3;
      await untilCommitted(topic, table, () => sent.length);
      await untilCommitted(appendTopic, appendTable, () => appendSent);
    } finally {
      await sink.stop();
    }

    const expected = expectedRows(sent);
    expect(expected).toHaveLength(SHOPS.length * IDS - 6); // north 0..4 and south 5 are gone
    expect(await ourScan()).toEqual(expected);
    expect(await pyScan()).toEqual(expected);
    // Counts reconcile: every consumed record is a row, a delete or a dead letter.
    expect(sink.stats.records + sink.stats.deletes + sink.stats.deadLettered + sink.stats.ignoredTombstones).toBe(sent.length + appendSent);
    expect(sink.stats.deadLettered).toBe(2);
    expect(sink.stats.ignoredTombstones).toBe(1);
    // The append-only table kept both rows; its tombstone only advanced the offsets.
    expect((await pyiceberg(suite.env.catalog.url, `${ns[0]}.${appendTable}`, [{ op: 'rows', order_by: 'id' }]))[0]).toEqual([{ id: 1 }, { id: 2 }]);

    // The dead letters carry the record key and the reason.
    const dlq = k.consumer({ groupId: unique('lake-tombstone-dlq') });
    const dead: { key: string | null; error: string }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topics: [`${topic}.lake-dlq`], fromBeginning: true });
    await dlq.run({ eachMessage: async ({ message }) => void dead.push({ key: message.key?.toString() ?? null, error: message.headers!['lake.error']!.toString() }) });
    await waitFor(() => dead.length === 2, 30_000, 'two dead letters');
    await dlq.disconnect();
    dead.sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(dead.map((d) => d.key)).toEqual(['north-7', null]);
    expect(dead[0]!.error).toMatch(/^record key "north-7" \(keyFormat json-array\): not JSON/);
    expect(dead[1]!.error).toBe('a tombstone without a record key cannot name the row to delete');

    // A second sink (a new consumer group) resumes from the offsets in the table: the
    // records already applied are not replayed. Its only snapshot adds the one new row.
    const [before] = (await pyiceberg(suite.env.catalog.url, `${ns[0]}.${table}`, [{ op: 'snapshots' }])) as { summary: Record<string, string> }[][];
    const again = newSink();
    await again.start();
    try {
      await send([customer('east', 1, 'bronze')]);
      await untilCommitted(topic, table, () => sent.length);
    } finally {
      await again.stop();
    }
    expect(again.stats).toMatchObject({ records: 1, deletes: 0, deadLettered: 0 });
    const [after] = (await pyiceberg(suite.env.catalog.url, `${ns[0]}.${table}`, [{ op: 'snapshots' }])) as { summary: Record<string, string> }[][];
    expect(after!.length).toBe(before!.length + 1);
    expect(after!.at(-1)!.summary).toMatchObject({ 'added-records': '1' });
    expect(after!.at(-1)!.summary['added-position-deletes']).toBeUndefined();
    expect(await pyScan()).toEqual(expectedRows(sent));
  });
});
