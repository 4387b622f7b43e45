import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { FEATURE_IDENTITY_STORE } from '../../topologies/gold-features.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/**
 * Customer features when clicks carry a clickstream user id that is not the customer id
 * (the simulator's Avro path): user 512000001 views p1 and carts p2 a day before it orders
 * p3 as customer 100001 (the order's userId names the user), then views p1 again. The
 * customer's features hold all of it: p3 = 5, p1 = 2^(−1/7) + 1, p2 = 3 · 2^(−1/7) at the
 * order time (weights view 1, cart 3, purchase 5; half-life 7 days), whatever the arrival
 * order; the visitor's own record is deleted once handed over.
 */
const DAY = 86_400_000;
const T = Date.UTC(2026, 2, 1, 12);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

const click = (id: string, time: number, eventType: string, productId: string) => ({ type: 'click', eventId: id, userId: '512000001', time, eventType, channel: 'email', page: '/', campaign: null, productId });
const view1 = click('k1', T - DAY, 'view', 'p1');
const cart2 = click('k2', T - DAY, 'cart', 'p2');
const again1 = click('k3', T, 'view', 'p1');
const order = { type: 'order', eventId: 'o1', orderId: 'ord1', customerId: '100001', userId: '512000001', time: T, channel: 'email', country: 'DE', currency: 'EUR', lines: [{ productId: 'p3', category: 'toys', quantity: 1, unitPrice: '10.00' }] };

interface Features { readonly customerId: string; readonly topProducts: { productId: string; score: number }[] }

async function run(events: object[]) {
  await driver?.close();
  const config = pipelineConfig({ prefix: 'feat.' });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'features-unit' });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  for (const [i, e] of events.entries()) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + i);
  // Latest value per key, tombstones (null) included.
  const latest = new Map<string, Features | null>();
  for (const { key, value } of driver.createOutputTopic(config.topics.features, Serdes.String(), Serdes.Json<Features | null>()).readKeyValuesToList()) latest.set(key, value);
  return latest;
}

/** The users the identity store holds, sorted. */
async function identities(): Promise<string[]> {
  const users: string[] = [];
  for await (const { key } of driver!.getKeyValueStore<string, unknown>(FEATURE_IDENTITY_STORE).all()) users.push(key);
  return users.sort();
}

const decayed = 2 ** (-1 / 7);
function expectCustomerFeatures(latest: Map<string, Features | null>) {
  const products = latest.get('100001')!.topProducts;
  expect(products.map((p) => p.productId)).toEqual(['p3', 'p2', 'p1']);
  expect(products[0]!.score).toBeCloseTo(5, 9);
  expect(products[1]!.score).toBeCloseTo(3 * decayed, 9);
  expect(products[2]!.score).toBeCloseTo(decayed + 1, 9);
}

describe('gold customer features', () => {
  it('hands the clicks of the user an order links over to the customer, and deletes the visitor record', async () => {
    const latest = await run([view1, cart2, order, again1]);
    expectCustomerFeatures(latest);
    expect(latest.has('512000001')).toBe(true);
    expect(latest.get('512000001')).toBeNull();
  });

  it('gives the same features when the order arrives before the clicks that led to it', async () => {
    const latest = await run([order, again1, cart2, view1]);
    expectCustomerFeatures(latest);
    expect(latest.has('512000001')).toBe(false); // never a visitor: the link was known first
  });

  it('keeps features under the click user id while no order links it (clicks that carry the customer id)', async () => {
    const latest = await run([view1, { ...order, userId: undefined, customerId: '512000001' }]);
    expect(latest.get('512000001')!.topProducts.map((p) => p.productId)).toEqual(['p3', 'p1']);
  });

  describe('visitor identity TTL (30 days of the task event time, swept hourly)', () => {
    // Visitor 512000001 views p1 at T - 1 day; another visitor's clicks move the task's time on.
    const other = (id: string, time: number) => ({ ...click(id, time, 'view', 'p9'), userId: '777' });
    const orderAt = (time: number) => ({ ...order, time, lines: [{ ...order.lines[0]!, productId: 'p3' }] });

    it('keeps a visitor quiet for less than the TTL: its first order still takes its clicks over', async () => {
      const at = T - DAY + 29 * DAY;
      const latest = await run([view1, other('x1', T), other('x2', at)]);
      expect(await identities()).toEqual(['512000001', '777']);
      const after = await run([view1, other('x1', T), other('x2', at), orderAt(at)]);
      const products = after.get('100001')!.topProducts;
      expect(products.map((p) => p.productId)).toEqual(['p3', 'p1']);
      expect(products[1]!.score).toBeCloseTo(2 ** (-29 / 7), 12);
      expect(after.get('512000001')).toBeNull();
      expect(latest.get('512000001')!.topProducts.map((p) => p.productId)).toEqual(['p1']);
    });

    it('deletes a visitor identity quiet for more than the TTL; a later order no longer takes its clicks over', async () => {
      const at = T - DAY + 30 * DAY + 2 * 3_600_000;
      await run([view1, other('x1', T), other('x2', at)]);
      expect(await identities()).toEqual(['777']);
      const after = await run([view1, other('x1', T), other('x2', at), orderAt(at)]);
      expect(after.get('100001')!.topProducts.map((p) => p.productId)).toEqual(['p3']);
      // The visitor's own record went with the identity (a tombstone; gold-features-retention.test.ts).
      expect(after.get('512000001')).toBeNull();
      expect(await identities()).toEqual(['512000001', '777']); // now a linked identity
    });
  });
});
