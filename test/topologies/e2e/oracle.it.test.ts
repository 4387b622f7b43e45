import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import avro from 'avsc';
import { loadConfig } from '../../../deploy/config.ts';
import { deletePipelineTopics, ensurePipelineTopics } from '../../../topologies/app/pipeline-topics-admin.ts';
import { GOLD_CONTRACT, GOLD_TOPICS } from '../../../topologies/gold-contract.ts';
import { runGoldOracle } from '../../../topologies/oracle/gold-oracle.ts';
import { SEEDED_RATES, seededInput } from '../../../topologies/oracle/seeded-input.ts';
import { pipelineTopics, type PipelineTopicNames } from '../../../topologies/pipeline-topics.ts';
import { expectFeaturesClose, featureRows, goldRows, lakeGoldRows, oracleRows } from '../support/gold-outputs.ts';
import { goldLakeRows } from './support/lake-check.ts';
import { TopicReader, goldAvroValues, kafkaClient, produceInOrder, startWorker, unique, type Worker } from './support/pipeline-harness.ts';

/**
 * The acceptance test on the real services: a seeded input with late, out-of-order,
 * duplicate and malformed events is produced to bronze, the medallion application runs
 * (exactly-once) in its own process until idle, and every gold topic equals the batch
 * oracle's recomputation: counts exactly, money exactly. Then the same with a kill -9 of
 * the application in the middle of the run and a restart.
 */
const START = Date.UTC(2026, 0, 5, 8);
const REFERENCE = Date.UTC(2026, 0, 20);
const EVENTS = 1500;
const kafka = kafkaClient();
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
}, 120_000);

async function prepare(tag: string) {
  const id = unique(`medallion-${tag}`);
  const topics = pipelineTopics(`${id}.`);
  const stateDir = await mkdtemp(join(tmpdir(), `${id}-`));
  const admin = kafka.admin();
  await admin.connect();
  await ensurePipelineTopics(admin, topics, 2);
  cleanups.push(async () => {
    await deletePipelineTopics(admin, topics, id);
    await admin.deleteGroups([id, `${id}-lake`]).catch(() => undefined);
    await admin.disconnect();
    await rm(stateDir, { recursive: true, force: true });
  });
  const env = { E2E_PREFIX: `${id}.`, E2E_APP_ID: id, E2E_STATE_DIR: stateDir, E2E_REFERENCE: String(REFERENCE), E2E_PARTITIONS: '2' };
  return { id, topics, env };
}

/** Reads the outputs; gold values are decoded as Confluent Avro with the schemas from the registry. */
function reader(topics: PipelineTopicNames): TopicReader & { schemaIds: Map<string, Set<number>> } {
  const values = goldAvroValues(loadConfig().registry.url, topics, SEEDED_RATES.base);
  const r = new TopicReader(kafka, [topics.silverEvents, topics.dlq, topics.late, topics.duplicates, topics.salesPerformance, topics.channelPerformance, topics.attribution, topics.rfm, topics.features, topics.dqScores, topics.reconciliation, topics.revenueReconciliation], values.decode);
  cleanups.push(() => r.stop());
  return Object.assign(r, { schemaIds: values.schemaIds });
}

/**
 * The registry holds `<topic>-value` for every gold topic, its latest version is the
 * contract's schema, and every gold record read carried that version's id.
 */
async function checkRegistry(topics: PipelineTopicNames, schemaIds: Map<string, Set<number>>): Promise<void> {
  const url = loadConfig().registry.url.replace(/\/+$/, '');
  for (const key of GOLD_TOPICS) {
    const res = await fetch(`${url}/subjects/${encodeURIComponent(`${topics[key]}-value`)}/versions/latest`);
    expect(res.status, key).toBe(200);
    const latest = (await res.json()) as { id: number; schema: string };
    expect(avro.Type.forSchema(JSON.parse(latest.schema) as avro.Schema).equals(avro.Type.forSchema(GOLD_CONTRACT[key].schema as avro.Schema)), key).toBe(true);
    const seen = schemaIds.get(topics[key]);
    if (['salesPerformance', 'channelPerformance', 'attribution', 'rfm', 'features', 'dqScores'].includes(key)) expect(seen, key).toBeDefined();
    if (seen !== undefined) expect([...seen], key).toEqual([latest.id]);
  }
}

/**
 * The committed offsets of the application's group on its inputs (bronze, silver, its
 * repartition topics), and the partitions whose committed offset is short of the end.
 * Transaction markers are stepped over, so a caught-up group sits exactly at the end.
 */
async function committedOffsets(appId: string, topics: PipelineTopicNames): Promise<{ positions: string; behind: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const inputs = [topics.bronzeEvents, topics.silverEvents, ...(await admin.listTopics()).filter((t) => t.startsWith(`${appId}-`) && t.endsWith('-repartition'))];
    const committed = await admin.fetchOffsets({ groupId: appId, topics: inputs });
    const positions: string[] = [];
    const behind: string[] = [];
    for (const t of committed) {
      const ends = await admin.fetchTopicOffsets(t.topic);
      for (const p of t.partitions) {
        const end = Number(ends.find((e) => e.partition === p.partition)?.high ?? 0);
        const at = Number(p.offset) < 0 ? 0 : Number(p.offset);
        if (at !== end) behind.push(`${t.topic}:${p.partition} committed ${at} of ${end}`);
        positions.push(`${t.topic}:${p.partition}:${at}`);
      }
    }
    return { positions: positions.sort().join(','), behind };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every bronze record is accounted for, nothing new arrived for 3 s, and the
 * group's committed offsets are at the end of every input, unchanged across two polls.
 */
async function untilIdle(r: TopicReader, appId: string, topics: PipelineTopicNames, total: number, worker: Worker): Promise<void> {
  const deadline = Date.now() + 240_000;
  let last = -1;
  let quietSince = Date.now();
  let offsets: string | undefined;
  let behind: string[] = [];
  for (;;) {
    await new Promise((res) => setTimeout(res, 1000));
    const accounted = [topics.silverEvents, topics.dlq, topics.late, topics.duplicates].reduce((n, t) => n + r.counts.get(t)!, 0);
    if (r.version !== last) [last, quietSince] = [r.version, Date.now()];
    if (accounted >= total && r.counts.get(topics.rfm)! > 0 && Date.now() - quietSince > 3000) {
      const now = await committedOffsets(appId, topics);
      behind = now.behind;
      if (behind.length === 0 && now.positions === offsets) return;
      offsets = behind.length === 0 ? now.positions : undefined;
    }
    if (Date.now() > deadline) throw new Error(`not idle after 240 s (accounted ${accounted} of ${total}; behind: ${behind.join(', ') || 'none'}):\n${worker.output().slice(-3000)}`);
  }
}

/**
 * Revenue reconciliation (the worker settles a minute after 2 s of quiet): one row per
 * minute with orders in the oracle, and every row's latest value balanced.
 */
async function revenueBalanced(r: TopicReader, topics: PipelineTopicNames, input: readonly unknown[]): Promise<void> {
  const minutes = new Set(runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: REFERENCE }).sales.filter((s) => s.window === '1m').map((s) => String(s.windowStart)));
  const deadline = Date.now() + 60_000;
  const rows = () => r.latest.get(topics.revenueReconciliation)!;
  const done = () => rows().size >= minutes.size && [...rows().values()].every((row) => row?.balanced === true);
  while (!done() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 500));
  expect([...rows().keys()].sort()).toEqual([...minutes].sort());
  expect([...rows().values()].filter((row) => row?.balanced !== true)).toEqual([]);
}

/**
 * Count reconciliation and DQ scores (the worker settles a minute after 2 s of quiet). The
 * reconciler publishes a minute's counts and forgets them, so a minute that gets records
 * later (after the restart of the kill -9 run) is published again with the rest: summed
 * over every published row, each bucket equals the oracle's count, and the DQ records per
 * layer (latest row per minute, summed) equal the inputs: nothing lost, nothing counted twice.
 */
async function countsReconciled(r: TopicReader, topics: PipelineTopicNames, input: readonly unknown[]): Promise<void> {
  const oracle = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: REFERENCE }).counts;
  const expected = { bronze: input.length, silver: oracle.accepted, duplicates: oracle.duplicates, dlq: oracle.malformed, late: oracle.late };
  const buckets = Object.keys(expected) as (keyof typeof expected)[];
  const sums = () => Object.fromEntries(buckets.map((b) => [b, r.values.get(topics.reconciliation)!.reduce((n, row) => n + Number(row?.[b] ?? 0), 0)]));
  const dq = () => {
    const records = { bronze: 0, silver: 0 };
    for (const row of r.latest.get(topics.dqScores)!.values()) if (row !== null) records[row.layer as 'bronze' | 'silver'] += Number(row.records);
    return records;
  };
  const done = () => JSON.stringify(sums()) === JSON.stringify(expected) && JSON.stringify(dq()) === JSON.stringify({ bronze: input.length, silver: oracle.accepted });
  const deadline = Date.now() + 60_000;
  while (!done() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 500));
  expect(sums()).toEqual(expected);
  expect(dq()).toEqual({ bronze: input.length, silver: oracle.accepted });
}

const asMap = (rows: Record<string, unknown>[]) => new Map(rows.map((row, i) => [String(i), row]));

function check(r: TopicReader, topics: PipelineTopicNames, input: readonly unknown[]): void {
  const oracle = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: REFERENCE });
  const counts = { silver: r.counts.get(topics.silverEvents), dlq: r.counts.get(topics.dlq), late: r.counts.get(topics.late), duplicates: r.counts.get(topics.duplicates) };
  expect(counts).toEqual({ silver: oracle.counts.accepted, dlq: oracle.counts.malformed, late: oracle.counts.late, duplicates: oracle.counts.duplicates });
  const actual = goldRows({ sales: r.latest.get(topics.salesPerformance)!, channels: r.latest.get(topics.channelPerformance)!, attribution: r.latest.get(topics.attribution)!, rfm: r.latest.get(topics.rfm)! });
  const expected = oracleRows(oracle);
  for (const rows of Object.values(expected)) expect(rows.length).toBeGreaterThan(0);
  expect(actual.sales).toEqual(expected.sales);
  expect(actual.channels).toEqual(expected.channels);
  expect(actual.attribution).toEqual(expected.attribution);
  expect(actual.rfm).toEqual(expected.rfm);
  expectFeaturesClose(featureRows(r.latest.get(topics.features)!), oracle.features);
}

describe('medallion pipeline on the real services vs the batch oracle', () => {
  it('a clean run: every gold topic and gold lake table equals the oracle; features are served over HTTP', async () => {
    const { id, topics, env } = await prepare('clean');
    const input = seededInput({ seed: 42, events: EVENTS, start: START });
    await produceInOrder(kafka, topics.bronzeEvents, input);
    const r = reader(topics);
    await r.start();
    const worker = startWorker(env);
    cleanups.push(() => worker.stop());
    await worker.waitFor('RUNNING', 120_000);
    await untilIdle(r, id, topics, input.length, worker);
    await revenueBalanced(r, topics, input);
    await countsReconciled(r, topics, input);
    // Interactive query: the features served from the state stores equal the latest feature record.
    const port = /RUNNING http=(\d+)/.exec(worker.output())![1];
    const res = await fetch(`http://127.0.0.1:${port}/features/u1`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as Record<string, unknown>;
    const published = r.latest.get(topics.features)!.get('u1')!;
    expect(served).toMatchObject({ customerId: 'u1', topProducts: published.topProducts, categoryAffinity: published.categoryAffinity });
    expect((served.topProducts as unknown[]).length).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/features/nobody`)).status).toBe(404);
    await worker.stop();
    check(r, topics, input);
    await checkRegistry(topics, r.schemaIds);
    // The gold lake tables (the npm start sink, upsert by key) equal the oracle too, deletes
    // included: the seeded run retracts no gold row, so a row of the channel and of the
    // attribution topic is deleted here as the pipeline deletes one (a null for its key);
    // the sink must decode the tombstone's record key into the table's key columns and
    // delete the row, so the tables hold the oracle's rows minus exactly those two.
    const expected = oracleRows(runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: REFERENCE }));
    const deletes = [
      { topic: topics.channelPerformance, table: 'channels', columns: ['day', 'channel'] },
      { topic: topics.attribution, table: 'attribution', columns: ['model', 'channel', 'campaign'] },
    ] as const;
    const keyOf = (row: Record<string, unknown>, columns: readonly string[]) => JSON.stringify(columns.map((c) => row[c]));
    const gone = deletes.map((d) => ({ ...d, key: keyOf(expected[d.table][0]!, d.columns) }));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (const d of gone) await producer.send({ topic: d.topic, messages: [{ key: d.key, value: null }] });
    await producer.disconnect();
    const deadline = Date.now() + 30_000;
    while (gone.some((d) => r.latest.get(d.topic)!.get(d.key) !== null) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    const lake = lakeGoldRows(await goldLakeRows(topics, `${id}-lake`, () => [topics.salesPerformance, topics.channelPerformance, topics.attribution, topics.rfm].reduce((n, t) => n + r.counts.get(t)!, 0)), SEEDED_RATES.base);
    const rows = goldRows({ sales: asMap(lake['gold.sales_performance']!), channels: asMap(lake['gold.channel_performance']!), attribution: asMap(lake['gold.attribution']!), rfm: asMap(lake['gold.rfm']!) });
    expect(rows.sales).toEqual(expected.sales);
    expect(rows.rfm).toEqual(expected.rfm);
    for (const d of gone) {
      expect(rows[d.table].some((row) => keyOf(row, d.columns) === d.key), `${d.table}: ${d.key} was deleted in the topic`).toBe(false);
      expect(rows[d.table], d.table).toEqual(expected[d.table].filter((row) => keyOf(row, d.columns) !== d.key));
    }
  });

  it('kill -9 in the middle and a restart: exactly-once, every gold topic equals the oracle', async () => {
    const { id, topics, env } = await prepare('crash');
    const input = seededInput({ seed: 4242, events: EVENTS, start: START });
    const r = reader(topics);
    await r.start();
    const first = startWorker(env);
    cleanups.push(() => first.stop());
    await first.waitFor('RUNNING', 120_000);
    await produceInOrder(kafka, topics.bronzeEvents, input.slice(0, EVENTS / 2));
    const deadline = Date.now() + 120_000;
    while (r.counts.get(topics.silverEvents)! < 100 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    first.child.kill('SIGKILL');
    await produceInOrder(kafka, topics.bronzeEvents, input.slice(EVENTS / 2));
    const second = startWorker(env);
    cleanups.push(() => second.stop());
    await second.waitFor('RUNNING', 120_000);
    await untilIdle(r, id, topics, input.length, second);
    await revenueBalanced(r, topics, input);
    await countsReconciled(r, topics, input);
    await second.stop();
    check(r, topics, input);
    await checkRegistry(topics, r.schemaIds);
  });
});
