import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeSink, sinkConfig } from '../../connectors/iceberg/index.ts';
import { offsetsOf } from '../../connectors/iceberg/sink/offsets.ts';
import { loadConfig } from '../../deploy/config.ts';
import { customerDimensionLakeTable } from '../../topologies/app/lake-tables.ts';
import { startMedallionApp, type MedallionApp } from '../../topologies/app/medallion-app.ts';
import { deletePipelineTopics } from '../../topologies/app/pipeline-topics-admin.ts';
import { PIPELINE_DEFAULTS } from '../../topologies/pipeline-config.ts';
import { pipelineTopics } from '../../topologies/pipeline-topics.ts';
import { testCatalog } from '../connectors/iceberg/harness.ts';
import { unique, waitFor } from '../connectors/iceberg/kafka-support.ts';
import { pyiceberg } from '../connectors/iceberg/pyiceberg.ts';

/**
 * The SCD2 customer dimension in the lake, on the real services: the medallion application
 * (exactly-once) turns customer changes into the compacted dimension topic, and the lake
 * sink of `npm start` (topologies/app/lake-tables.ts) upserts it into
 * `silver.customer_dimension`. The changes include back-dated ones (one inserts a version in
 * the middle, a later one merges a committed version away: a tombstone) and identical
 * repeats. Read with PyIceberg, the table has exactly one current row per customer and
 * equals the topic's latest non-null value per key; the versions also match a hand-worked
 * history.
 */
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const kafka = new Kafka({ clientId: unique('scd2-lake'), brokers: loadConfig().kafka.brokers, logLevel: logLevel.NOTHING });

type Version = { surrogateKey: string; customerId: string; version: number; effectiveFrom: number; effectiveTo: number | null; isCurrent: boolean; attributeHash: string; attributes: Record<string, string | null> };
type LakeRow = Omit<Version, 'effectiveFrom' | 'effectiveTo'> & { effectiveFrom: string; effectiveTo: string | null };

/** Reads a topic from the start (read_committed): the latest value per key, and the last record offset per partition. */
class DimensionReader {
  readonly latest = new Map<string, Version | null>();
  readonly last = new Map<number, number>();
  private consumer: Consumer | undefined;
  constructor(private readonly topic: string) {}
  async start(): Promise<void> {
    this.consumer = kafka.consumer({ groupId: unique('scd2-lake-reader'), maxWaitTimeInMs: 200 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        this.latest.set(message.key!.toString(), message.value === null ? null : (JSON.parse(message.value.toString()) as Version));
        this.last.set(partition, Number(message.offset));
      },
    });
  }
  /** True once every committed record is read: after the last one only a commit marker is left. */
  async atEnd(admin: Admin): Promise<boolean> {
    return (await admin.fetchTopicOffsets(this.topic)).every((p) => Number(p.high) === 0 || (this.last.get(p.partition) ?? -1) >= Number(p.high) - 2);
  }
  stop = async () => this.consumer?.disconnect();
}

describe('customer dimension as an upsert lake table (SCD2, read with PyIceberg)', () => {
  const id = unique('scd2-lake');
  const topics = pipelineTopics(`${id}.`);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const reader = new DimensionReader(topics.customerDimension);
  let app: MedallionApp | undefined;
  let sink: LakeSink | undefined;
  let lake: Awaited<ReturnType<typeof testCatalog>>;
  let stateDir = '';
  let produced = 0;
  const table = customerDimensionLakeTable(topics, PIPELINE_DEFAULTS.scd2Tracked);

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), `${id}-`));
    lake = await testCatalog('scd2');
    await admin.connect();
    app = await startMedallionApp({ applicationId: id, brokers: loadConfig().kafka.brokers, pipeline: { prefix: `${id}.` }, partitions: 2, httpEnabled: false, stateDir });
    await producer.connect();
    await reader.start();
    sink = new LakeSink(sinkConfig({ brokers: loadConfig().kafka.brokers, groupId: `${id}-lake`, catalogUrl: lake.catalog.url, s3: loadConfig().s3, tables: [table], commitIntervalMs: 1000 }), () => undefined);
    await sink.start();
  }, 240_000);
  afterAll(async () => {
    await sink?.stop(false).catch(() => undefined);
    await reader.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await deletePipelineTopics(admin, topics, id).catch(() => undefined);
    await admin.deleteGroups([id, `${id}-lake`]).catch(() => undefined);
    await admin.disconnect();
    await lake?.client.dropTable(table.namespace, table.table, true).catch(() => undefined);
    await lake?.close();
    await rm(stateDir, { recursive: true, force: true });
  }, 120_000);

  const change = (customerId: string, day: number, city: string, sequence: number, name = customerId.toUpperCase()) => ({
    key: customerId,
    value: JSON.stringify({ customerId, effectiveFrom: T0 + day * DAY, attributes: { name, city }, sequence }),
  });

  /** Produces changes, waits until the application has processed them, the reader has read its output and the lake has committed it. */
  async function apply(messages: { key: string; value: string }[]): Promise<void> {
    await producer.send({ topic: topics.customerChanges, messages });
    produced += messages.length;
    await waitFor(async () => {
      const committed = await admin.fetchOffsets({ groupId: id, topics: [topics.customerChanges] });
      return committed[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === produced;
    }, 120_000, 'the application to process the changes');
    await waitFor(() => reader.atEnd(admin), 60_000, 'the dimension topic read to its end');
    await waitFor(async () => {
      if (sink!.error) throw sink!.error;
      const loaded = await lake.client.loadTable(table.namespace, table.table);
      const at = loaded ? offsetsOf(loaded.metadata).get(topics.customerDimension) : undefined;
      return [...reader.last].every(([p, o]) => (at?.get(p) ?? 0n) >= BigInt(o + 1));
    }, 120_000, 'the lake table to commit the dimension topic');
  }

  const lakeRows = async () => ((await pyiceberg(lake.catalog.url, 'silver.customer_dimension', [{ op: 'rows', order_by: 'surrogateKey' }]))[0] as LakeRow[]);
  const asVersion = (r: LakeRow): Version => ({ ...r, effectiveFrom: Date.parse(r.effectiveFrom), effectiveTo: r.effectiveTo === null ? null : Date.parse(r.effectiveTo) });
  const topicRows = () => [...reader.latest.values()].filter((v): v is Version => v !== null).sort((a, b) => a.surrogateKey.localeCompare(b.surrogateKey));
  /** The history of a customer as (from, to, current, city) in days from T0, version order. */
  const history = (rows: Version[], customerId: string) =>
    rows
      .filter((v) => v.customerId === customerId)
      .sort((a, b) => a.version - b.version)
      .map((v) => ({ version: v.version, from: (v.effectiveFrom - T0) / DAY, to: v.effectiveTo === null ? null : (v.effectiveTo - T0) / DAY, current: v.isCurrent, city: v.attributes.city }));

  it('has exactly one current row per customer and equals the compacted topic, tombstones included', async () => {
    // Phase 1: c1 gets a back-dated change between two others; c2 an identical update and a replay.
    await apply([change('c1', 0, 'Berlin', 1), change('c1', 10, 'Paris', 2), change('c1', 5, 'Rome', 3), change('c2', 0, 'Lyon', 1), change('c2', 2, 'Lyon', 2), change('c2', 0, 'Lyon', 1), change('c3', 1, 'Oslo', 1)]);
    const first = (await lakeRows()).map(asVersion);
    expect(first).toEqual(topicRows());
    expect(history(first, 'c1')).toEqual([
      { version: 1, from: 0, to: 5, current: false, city: 'Berlin' },
      { version: 2, from: 5, to: 10, current: false, city: 'Rome' },
      { version: 3, from: 10, to: null, current: true, city: 'Paris' },
    ]);
    const rome = first.find((v) => v.customerId === 'c1' && v.attributes.city === 'Rome')!;

    // Phase 2: a back-dated Rome at day 3 merges the committed day-5 Rome version into a
    // version from day 3 (the day-5 surrogate key becomes a tombstone); identical repeats
    // for c3; a new current version for c2.
    await apply([change('c1', 3, 'Rome', 4), change('c3', 1, 'Oslo', 1), change('c3', 4, 'Oslo', 2), change('c2', 20, 'Nice', 3)]);
    expect(reader.latest.get(rome.surrogateKey)).toBeNull();
    const rows = (await lakeRows()).map(asVersion);
    expect(rows).toEqual(topicRows());
    expect(rows.map((v) => v.surrogateKey)).not.toContain(rome.surrogateKey);
    const current = new Map<string, number>();
    for (const v of rows) if (v.isCurrent) current.set(v.customerId, (current.get(v.customerId) ?? 0) + 1);
    expect(Object.fromEntries(current)).toEqual({ c1: 1, c2: 1, c3: 1 });
    expect(rows.every((v) => (v.effectiveTo === null) === v.isCurrent)).toBe(true);
    expect(history(rows, 'c1')).toEqual([
      { version: 1, from: 0, to: 3, current: false, city: 'Berlin' },
      { version: 2, from: 3, to: 10, current: false, city: 'Rome' },
      { version: 3, from: 10, to: null, current: true, city: 'Paris' },
    ]);
    expect(history(rows, 'c2')).toEqual([
      { version: 1, from: 0, to: 20, current: false, city: 'Lyon' },
      { version: 2, from: 20, to: null, current: true, city: 'Nice' },
    ]);
    expect(history(rows, 'c3')).toEqual([{ version: 1, from: 1, to: null, current: true, city: 'Oslo' }]);
    // Every tracked attribute is a column of the attributes struct (untracked ones null).
    expect(rows.find((v) => v.customerId === 'c3')!.attributes).toEqual({ city: 'Oslo', country: null, email: null, name: 'C3', segment: null });
    expect(sink!.stats.deadLettered).toBe(0);
    expect(sink!.stats.deletes).toBeGreaterThan(0);
  });
});
