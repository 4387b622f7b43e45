import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver, type KafkaStreams } from '../../runtime/index.ts';
import { featuresHandler } from '../../topologies/app/feature-routes.ts';
import { FEATURE_IDENTITY_STORE, FEATURE_STORE } from '../../topologies/gold-features.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { runGoldOracle } from '../../topologies/oracle/gold-oracle.ts';
import { SEEDED_RATES, seededInput } from '../../topologies/oracle/seeded-input.ts';
import { pipelineConfig, type PipelineConfig } from '../../topologies/pipeline-config.ts';
import { expectFeaturesClose, featureRows } from './support/gold-outputs.ts';

/**
 * The visitor TTL of the gold features reaches the per-key aggregate: a visitor identity
 * the hourly sweep expires (latest click more than 30 days behind the task's greatest event
 * time) loses its record (deleted from the store, a tombstone on the compacted feature
 * topic, 404 from the query API), unless the key is a customer's. One partition, so one
 * feature task and one clock; `ticker` is another visitor whose views move that clock on.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 2, 1, 12);
let driver: TopologyTestDriver | undefined;
let config: PipelineConfig;
afterEach(async () => driver?.close());

const click = (id: string, userId: string, time: number, productId: string, eventType = 'view') => ({ type: 'click', eventId: id, userId, time, eventType, channel: 'email', page: '/', campaign: null, productId });
const order = (id: string, customerId: string, userId: string, time: number, productId: string) => ({ type: 'order', eventId: id, orderId: `ord-${id}`, customerId, userId, time, channel: 'email', country: 'DE', currency: 'EUR', lines: [{ productId, category: 'toys', quantity: 1, unitPrice: '10.00' }] });
const tick = (id: string, time: number) => click(id, 'ticker', time, 'p9');

interface Features { readonly customerId: string; readonly topProducts: { productId: string; score: number }[] }

/** Runs the medallion topology; returns every feature record per key, in order (null = tombstone). */
async function run(events: readonly object[]): Promise<Map<string, (Features | null)[]>> {
  await driver?.close();
  config = pipelineConfig({ prefix: 'ttl.', rates: SEEDED_RATES });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 1, applicationId: 'features-retention-unit' });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  for (const [i, e] of events.entries()) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + i);
  const history = new Map<string, (Features | null)[]>();
  for (const { key, value } of driver.createOutputTopic(config.topics.features, Serdes.String(), Serdes.Json<Features | null>()).readKeyValuesToList()) history.set(key, [...(history.get(key) ?? []), value]);
  return history;
}

/** A key's feature records as their product ids (null for a tombstone). */
const products = (history: Map<string, (Features | null)[]>, key: string) => (history.get(key) ?? []).map((f) => (f === null ? null : f.topProducts.map((p) => p.productId)));
const stored = (key: string) => driver!.getKeyValueStore<string, unknown>(FEATURE_STORE).get(key);
const identity = (key: string) => driver!.getKeyValueStore<string, unknown>(FEATURE_IDENTITY_STORE).get(key);

/**
 * GET /features/<key> through the route's handler, on the driver's stores; `pending` lists
 * the feature tasks assigned to the instance that cannot be queried yet (KafkaStreams.pendingStores).
 */
async function query(key: string, state = 'RUNNING', pending: string[] = []): Promise<{ status: number; body: Features; retryAfter?: string }> {
  const streams = {
    state,
    localStores: (name: string) => [{ taskId: '0_0', partition: 0, store: driver!.getKeyValueStore(name) }],
    pendingStores: (name: string) => (name === FEATURE_STORE ? pending.map((taskId) => ({ taskId, partition: Number(taskId.split('_')[1]) })) : []),
  } as unknown as KafkaStreams;
  let body = '';
  const headers = new Map<string, string>();
  const res = { statusCode: 200, setHeader: (name: string, value: string) => void headers.set(name, value), end: (text: string) => void (body = text) };
  await featuresHandler(() => [streams], config)({} as never, res as unknown as ServerResponse, new URL(`http://localhost/features/${key}`));
  return { status: res.statusCode, body: JSON.parse(body) as Features, ...(headers.has('retry-after') ? { retryAfter: headers.get('retry-after')! } : {}) };
}

describe('gold features: the visitor TTL prunes the visitor records', () => {
  it('deletes the record of a visitor quiet for longer than the TTL: a tombstone on the feature topic, gone from the store and the query', async () => {
    const history = await run([click('k1', 'v1', T, 'p1'), tick('t1', T + 30 * DAY + 2 * HOUR)]);
    expect(products(history, 'v1')).toEqual([['p1'], null]);
    expect(identity('v1')).toBeUndefined();
    expect(stored('v1')).toBeUndefined();
    expect((await query('v1')).status).toBe(404);
    expect((await query('ticker')).status).toBe(200);
    // While the instance rebalances a missing key may be on its way: retry, not "not found"; a key held here is still answered.
    expect(await query('v1', 'REBALANCING')).toMatchObject({ status: 503, retryAfter: '1' });
    expect((await query('ticker', 'REBALANCING')).status).toBe(200);
    // So while a feature task of a RUNNING instance restores (recovering from a failed commit): the key may be its.
    expect(await query('v1', 'RUNNING', ['0_1'])).toMatchObject({ status: 503, retryAfter: '1' });
    expect((await query('ticker', 'RUNNING', ['0_1'])).status).toBe(200);
    // A failed instance will not receive it: not found, no retry.
    expect(await query('v1', 'ERROR')).toMatchObject({ status: 404 });
    expect((await query('v1', 'ERROR')).retryAfter).toBeUndefined();
  });

  it('keeps the record of a visitor whose latest click is within the TTL, when an older one goes', async () => {
    const history = await run([click('k1', 'v1', T, 'p1'), click('k2', 'v2', T, 'p1'), click('k3', 'v1', T + 10 * DAY, 'p2', 'cart'), tick('t1', T + 40 * DAY - HOUR)]);
    expect(products(history, 'v2')).toEqual([['p1'], null]); // the sweep ran
    expect(products(history, 'v1')).toEqual([['p1'], ['p2', 'p1']]);
    expect(identity('v1')).toBeDefined();
    expect(stored('v1')).toBeDefined();
    const { status, body } = await query('v1');
    expect([status, body.topProducts.map((p) => p.productId)]).toEqual([200, ['p2', 'p1']]);
  });

  it('never prunes a linked customer, however old, nor a customer whose clicks carry its own id', async () => {
    const history = await run([
      click('k1', 'w1', T - HOUR, 'p1'),
      order('o1', 'c1', 'w1', T, 'p3'), // links w1: its clicks go over to c1
      click('k2', 'c2', T, 'p2'), // c2's clicks carry its customer id; its orders name user w2
      order('o2', 'c2', 'w2', T + HOUR, 'p4'),
      tick('t1', T + 400 * DAY),
    ]);
    expect(identity('c2')).toBeUndefined(); // the visitor identity c2 expired ...
    expect(products(history, 'c2').at(-1)).toEqual(['p4', 'p2']); // ... but the record is a customer's
    expect(products(history, 'c1')).toEqual([['p3', 'p1']]);
    expect(products(history, 'w1')).toEqual([['p1'], null]); // handed over, not pruned
    for (const key of ['c1', 'c2']) {
      expect(stored(key)).toBeDefined();
      expect((await query(key)).status).toBe(200);
    }
  });

  it('starts a pruned visitor that clicks again from nothing; its first order hands over only the new clicks', async () => {
    const events = [click('k1', 'v1', T, 'p1'), tick('t1', T + 31 * DAY), click('k2', 'v1', T + 31 * DAY + HOUR, 'p2', 'cart')];
    const history = await run(events);
    expect(products(history, 'v1')).toEqual([['p1'], null, ['p2']]);
    const { status, body } = await query('v1');
    expect(status).toBe(200);
    expect(body.topProducts).toEqual([{ productId: 'p2', score: 3 }]);
    const after = await run([...events, order('o1', 'c9', 'v1', T + 31 * DAY + 2 * HOUR, 'p3')]);
    expect(products(after, 'c9')).toEqual([['p3', 'p2']]);
    expect(products(after, 'v1').at(-1)).toBeNull();
    expect((await query('v1')).status).toBe(404);
  });

  it('equals the batch oracle over two seeded runs 40 days apart (visitors and customers of the first expire)', async () => {
    // Seeds and size chosen so that the jump expires pure visitors, visitor identities whose
    // key is a customer's (clicks under the customer id, orders under w<n>), and users who
    // order only after it.
    const later = (e: Record<string, unknown>) => ({ ...e, ...(typeof e.eventId === 'string' && e.eventId !== '' ? { eventId: `b${e.eventId}` } : {}), ...(typeof e.orderId === 'string' ? { orderId: `b${e.orderId}` } : {}) });
    const seeded = (seed: number, start: number) => seededInput({ seed, events: 250, start, customers: 30 });
    const input = [...seeded(5, T), ...seeded(6, T + 40 * DAY).map(later)];
    const history = await run(input);
    const latest = new Map([...history].map(([key, values]) => [key, values.at(-1)! as unknown as Record<string, unknown> | null]));
    const oracle = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: T }).features;
    const unpruned = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: T, featureVisitorTtlMs: Number.POSITIVE_INFINITY }).features;
    expect(unpruned).not.toEqual(oracle);
    const gone = unpruned.map((r) => r.customerId).filter((key) => !oracle.some((r) => r.customerId === key));
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.map((key) => latest.get(key))).toEqual(gone.map(() => null));
    expectFeaturesClose(featureRows(latest), oracle);
  });
});
