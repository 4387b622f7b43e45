import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { runIngestJob } from '../../../../connectors/sources/ingest/ingest-job.ts';
import { systemClock } from '../../../../runtime/time/clock.ts';
import type { CampaignSpend, ClickstreamEvent, CustomerProfile, DlqEnvelope, Product } from '../../../../schemas/generated/index.ts';
import { deleteTopicsWithPrefix, readAll, testKafka, uniquePrefix } from '../support/kafka.ts';
import { REES46_SAMPLE, SHARED_DATA } from '../../../support/shared-data.ts';

const config = loadConfig();
const prefix = uniquePrefix('s3');
const folder = prefix.slice(0, -1);
const s3Root = `s3://${config.s3.bucket}/${folder}/`;
const stateDir = mkdtempSync(join(tmpdir(), 'sh-s3-state-'));
const kafka = testKafka();
const s3 = new S3Client({
  endpoint: config.s3.endpoint, region: config.s3.region, forcePathStyle: true,
  credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
});
const keys: string[] = [];

async function put(name: string, body: Buffer | string): Promise<void> {
  const key = `${folder}/${name}`;
  keys.push(key);
  await s3.send(new PutObjectCommand({ Bucket: config.s3.bucket, Key: key, Body: body }));
}

beforeAll(async () => {
  await put('catalog/products-1.csv', [
    'product_id,name,category_id,category_code,brand,price,currency,seller_id,is_active,updated_at',
    'p1,Phone,2053013555631882655,electronics.smartphone,acme,299.99,EUR,s1,true,2026-01-01T00:00:00Z',
    'p2,"Sofa, grey",2053013559792632471,furniture.living_room.sofa,,540,EUR,s2,1,2026-01-01T00:00:00Z',
    'p3,Broken,1,x,y,not-a-price,EUR,s3,true,2026-01-01T00:00:00Z',
    'p4,Short row',
  ].join('\n'));
  await put('catalog/products-2.csv', 'product_id,name,price,updated_at\np1,Phone v2,279.99,2026-02-01T00:00:00Z\n');
  await put('customers/changes.jsonl', [
    JSON.stringify({ customer_id: 17850, email: 'a@example.com', country: 'GB', loyalty_tier: 'silver', updated_at: '2011-01-01T00:00:00Z' }),
    JSON.stringify({ customer_id: 17850, email: 'a@example.com', country: 'GB', loyalty_tier: 'gold', updated_at: '2011-06-01T00:00:00Z' }),
    '{"customer_id": "abc", "updated_at": 0}',
    'not json at all',
    JSON.stringify({ customer_id: 12346, country: 'FR', marketing_opt_in: true, updated_at: 1_300_000_000_000 }),
  ].join('\n'));
  const days = ['2026-01-01', '2026-01-02', '2026-01-03'];
  await put('campaigns/spend.parquet', Buffer.from(parquetWriteBuffer({
    columnData: [
      { name: 'campaign_id', data: days.map(() => 'cmp-email-1'), type: 'STRING' },
      { name: 'channel', data: days.map(() => 'email'), type: 'STRING' },
      { name: 'day', data: days, type: 'STRING' },
      { name: 'spend', data: ['120.50', '99.99', '-1.234567'], type: 'STRING' },
      { name: 'clicks', data: [BigInt(1200), BigInt(800), BigInt(10)], type: 'INT64' },
      { name: 'updated_at', data: days.map((d) => new Date(`${d}T23:00:00Z`)), type: 'TIMESTAMP' },
    ],
  })));
});

afterAll(async () => {
  await s3.send(new DeleteObjectsCommand({ Bucket: config.s3.bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
  s3.destroy();
  await deleteTopicsWithPrefix(kafka, prefix);
  rmSync(stateDir, { recursive: true, force: true });
});

const ingest = (dataset: string, location: string) =>
  runIngestJob({ dataset, locations: [location], config, roots: { local: [SHARED_DATA], s3: [s3Root] }, stateDir, clock: systemClock, topicPrefix: prefix });

async function rejectsFor(topic: string, source: string): Promise<[number, string][]> {
  return (await readAll(kafka, topic))
    .map((m) => JSON.parse(m.value.toString()) as DlqEnvelope)
    .filter((e) => e.source === source)
    .map((e) => [e.line_number!, e.reason]);
}

describe('batch sources from S3 and local files', () => {
  it('ingests a CSV catalog from an S3 prefix (every file in it), rejecting bad rows with file and line', async () => {
    const result = await ingest('products', `${s3Root}catalog/`);
    expect(result.files.map((f) => [f.uri.split('/').pop(), f.accepted, f.rejected])).toEqual([['products-1.csv', 2, 2], ['products-2.csv', 1, 0]]);
    const products = (await readAll(kafka, result.target.name)).map((m) => [m.key, JSON.parse(m.value.toString()) as Product] as const);
    expect(products.map(([k, p]) => [k, p.name, p.price, p.currency])).toEqual(
      expect.arrayContaining([['p1', 'Phone', '299.9900', 'EUR'], ['p2', 'Sofa, grey', '540.0000', 'EUR'], ['p1', 'Phone v2', '279.9900', 'USD']]),
    );
    expect(await rejectsFor(result.rejects.name, `${s3Root}catalog/products-1.csv`)).toEqual([
      [4, 'price: "not-a-price" is not a decimal number'],
      [5, 'expected 10 fields, got 2'],
    ]);
  });

  it('ingests customer profile inserts and updates from JSON Lines', async () => {
    const result = await ingest('customers', `${s3Root}customers/changes.jsonl`);
    expect(result.files[0]).toMatchObject({ read: 5, accepted: 3, rejected: 2 });
    const profiles = (await readAll(kafka, result.target.name)).map((m) => JSON.parse(m.value.toString()) as CustomerProfile);
    const c17850 = profiles.filter((p) => p.customer_id === 17850).sort((a, b) => a.updated_at - b.updated_at);
    expect(c17850.map((p) => [p.loyalty_tier, p.updated_at])).toEqual([['silver', Date.UTC(2011, 0, 1)], ['gold', Date.UTC(2011, 5, 1)]]);
    const reasons = await rejectsFor(result.rejects.name, `${s3Root}customers/changes.jsonl`);
    expect(reasons.map(([line]) => line).sort()).toEqual([3, 4]);
    expect(reasons.find(([l]) => l === 3)![1]).toBe('customer_id: "abc" is not an integer');
  });

  it('ingests campaign spend from Parquet on S3 (ranged reads)', async () => {
    const result = await ingest('campaigns', `${s3Root}campaigns/spend.parquet`);
    expect(result.files[0]).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    const spend = (await readAll(kafka, result.target.name)).map((m) => JSON.parse(m.value.toString()) as CampaignSpend);
    expect(spend.map((s) => [s.day, s.spend, s.clicks, s.updated_at]).sort()).toEqual([
      [20454, '120.5000', 1200, Date.UTC(2026, 0, 1, 23)],
      [20455, '99.9900', 800, Date.UTC(2026, 0, 2, 23)],
    ]);
    expect(await rejectsFor(result.rejects.name, `${s3Root}campaigns/spend.parquet`)).toEqual([[3, 'spend: decimal -1.234567 has more than 4 fractional digits']]);
  });

  it('ingests the REES46 sample from the shared data folder, in place', async () => {
    const result = await ingest('rees46', REES46_SAMPLE);
    expect(result.files[0]).toMatchObject({ read: 1000, accepted: 1000, rejected: 0 });
    const events = (await readAll(kafka, result.target.name)).map((m) => [m.key, JSON.parse(m.value.toString()) as ClickstreamEvent] as const);
    expect(events.length).toBe(1000);
    expect(events.every(([k, e]) => k === String(e.user_id) && e.source === 'rees46')).toBe(true);
  });

  it('refuses locations outside the roots before touching anything', async () => {
    await expect(ingest('products', `s3://${config.s3.bucket}/warehouse/`)).rejects.toThrow(`"s3://${config.s3.bucket}/warehouse/" is outside the configured S3 roots (${s3Root})`);
    await expect(ingest('products', `${SHARED_DATA}/../../../etc/passwd`)).rejects.toThrow(`is outside the configured roots (${SHARED_DATA})`);
  });
});
