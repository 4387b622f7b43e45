import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { ATTRIBUTION_STORES } from '../../topologies/gold-attribution.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/**
 * The attribution topology on the hand-worked example of issue 7: touches 19, 10, 7 and 1
 * days before a 300.00 order (lookback 30 days, half-life 7 days): time-decay credits
 * 23.69 / 57.76 / 77.74 / 140.81 (allocated to the cent; the rounded shares would be
 * 23.69 / 57.76 / 77.74 / 140.82 = 300.01), position-based 120 / 30 / 30 / 120. A touch
 * that arrives after the order re-attributes it, unless it is late (more than 48 h).
 */
const DAY = 86_400_000;
const T = Date.UTC(2026, 2, 1, 12);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

const touch = (n: number, daysBefore: number) => ({ type: 'click', eventId: `t${n}`, userId: 'c1', time: T - daysBefore * DAY, eventType: 'view', channel: `ch${n}`, page: '/', campaign: `cmp${n}`, productId: null });
const order = { type: 'order', eventId: 'o1', orderId: 'ord1', customerId: 'c1', time: T, channel: 'direct', country: 'DE', currency: 'EUR', lines: [{ productId: 'p1', category: 'toys', quantity: 3, unitPrice: '100.00' }] };

async function run(events: object[]) {
  const config = pipelineConfig({ prefix: 'attr.', lookbackMs: 30 * DAY });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'attribution-unit' });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  for (const [i, e] of events.entries()) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + i);
  await driver.advanceWallClockTime(config.attributionFlushMs);
  const rows = driver.createOutputTopic(config.topics.attribution, Serdes.String(), Serdes.Json<{ model: string; channel: string; revenue: string } | null>()).readKeyValuesToMap();
  const byModel = (model: string) => Object.fromEntries([...rows.values()].filter((r) => r !== null && r.model === model).map((r) => [r!.channel, r!.revenue]));
  return { byModel, rows };
}

describe('gold attribution topology', () => {
  it('credits the hand-worked example under every model', async () => {
    const { byModel } = await run([touch(1, 19), touch(2, 10), touch(3, 7), touch(4, 1), order]);
    expect(byModel('time-decay')).toEqual({ ch1: '23.69', ch2: '57.76', ch3: '77.74', ch4: '140.81' });
    expect(byModel('position-based')).toEqual({ ch1: '120.00', ch2: '30.00', ch3: '30.00', ch4: '120.00' });
    expect(byModel('linear')).toEqual({ ch1: '75.00', ch2: '75.00', ch3: '75.00', ch4: '75.00' });
    expect(byModel('first-touch')).toEqual({ ch1: '300.00', ch2: '0.00', ch3: '0.00', ch4: '0.00' });
    expect(byModel('last-touch')).toEqual({ ch1: '0.00', ch2: '0.00', ch3: '0.00', ch4: '300.00' });
  });

  it('re-attributes the order when a touch arrives after it (within the 48 h lateness)', async () => {
    const { byModel, rows } = await run([touch(1, 19), touch(2, 10), touch(3, 7), order, touch(4, 1)]);
    expect(byModel('time-decay')).toEqual({ ch1: '23.69', ch2: '57.76', ch3: '77.74', ch4: '140.81' });
    expect(byModel('position-based')).toEqual({ ch1: '120.00', ch2: '30.00', ch3: '30.00', ch4: '120.00' });
    expect(byModel('last-touch')).toEqual({ ch1: '0.00', ch2: '0.00', ch3: '0.00', ch4: '300.00' });
    expect([...rows.values()].some((r) => r?.channel === '(none)')).toBe(false);
  });

  it('credits the touches of the clickstream user who placed the order (userId), not clicks under the customer id', async () => {
    // The Avro path: user 512000001 browses, then orders as customer 100001 (different numbers).
    const asUser = (n: number, daysBefore: number, userId: string) => ({ ...touch(n, daysBefore), userId });
    const linked = { ...order, customerId: '100001', userId: '512000001' };
    const { byModel } = await run([asUser(1, 10, '512000001'), asUser(2, 1, '512000001'), asUser(3, 2, '100001'), linked]);
    expect(byModel('linear')).toEqual({ ch1: '150.00', ch2: '150.00' });
    expect(byModel('first-touch')).toEqual({ ch1: '300.00', ch2: '0.00' });
    // Without the link, the same clicks and order meet nothing but the customer-id click.
    await driver!.close();
    const { byModel: unlinked } = await run([asUser(1, 10, '512000001'), asUser(2, 1, '512000001'), asUser(3, 2, '100001'), { ...linked, userId: null }]);
    expect(unlinked('linear')).toEqual({ ch3: '300.00' });
  });

  it('a touch more than 48 h behind stream time is late: it goes to the late topic and credits nothing', async () => {
    const { byModel } = await run([order, touch(4, 1), touch(2, 10)]);
    expect(byModel('linear')).toEqual({ ch4: '300.00' });
    const late = driver!.createOutputTopic('attr.silver.events.late', Serdes.String(), Serdes.Json<{ eventId: string }>()).readValuesToList();
    expect(late.map((e) => e.eventId)).toEqual(['t2']);
  });
});

/**
 * Retention (default lookback 7 days): orders older than stream time − 48 h and touches
 * older than stream time − 48 h − 7 days are deleted, also for users that send nothing
 * more (the hourly sweep); what can still matter stays.
 */
describe('gold attribution state', () => {
  const HOUR = 3_600_000;
  async function open() {
    const config = pipelineConfig({ prefix: 'attr.' });
    const builder = new StreamsBuilder();
    buildMedallion(builder, config);
    driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'attribution-state' });
    const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
    let offset = 0;
    const pipe = async (...events: object[]) => {
      for (const e of events) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + offset++);
    };
    const entries = async (store: string) => {
      const ids: string[] = [];
      for await (const { key } of driver!.getKeyValueStore<string, unknown>(store).all()) ids.push(key.split('\u0000').filter((_, i) => i !== 1).join('/'));
      return ids.sort();
    };
    const linear = async () => {
      await driver!.advanceWallClockTime(config.attributionFlushMs);
      const rows = driver!.createOutputTopic(config.topics.attribution, Serdes.String(), Serdes.Json<{ model: string; channel: string; revenue: string } | null>()).readKeyValuesToMap();
      return Object.fromEntries([...rows.values()].filter((r) => r !== null && r.model === 'linear').map((r) => [r!.channel, r!.revenue]));
    };
    return { pipe, entries, linear };
  }
  const other = (id: string, time: number) => ({ ...touch(9, 0), eventId: id, userId: 'c2', time });

  it('evicts a quiet user\'s order once stream time passes it by 48 h, and its touch once past 48 h + lookback', async () => {
    const { pipe, entries } = await open();
    await pipe(touch(1, 1), order);
    expect(await entries(ATTRIBUTION_STORES.touches)).toEqual(['c1/t1']);
    expect(await entries(ATTRIBUTION_STORES.orders)).toEqual(['c1/o1']);
    // Stream time T + 48 h: the order is exactly at the bound and stays.
    await pipe(other('x1', T + 48 * HOUR));
    expect(await entries(ATTRIBUTION_STORES.orders)).toEqual(['c1/o1']);
    // An hour later (the next sweep): the order is gone; the touch (T − 1 day) is within 48 h + 7 days.
    await pipe(other('x2', T + 49 * HOUR));
    expect(await entries(ATTRIBUTION_STORES.orders)).toEqual([]);
    expect(await entries(ATTRIBUTION_STORES.touches)).toEqual(['c1/t1', 'c2/x1', 'c2/x2']);
    // Stream time past T − 1 day + 48 h + 7 days: c1 has no state left; c2's touches older than the bound go too.
    await pipe(other('x3', T + 8 * DAY + 1));
    expect(await entries(ATTRIBUTION_STORES.touches)).toEqual(['c2/x1', 'c2/x2', 'c2/x3']);
    // Stream time T + 9 days + 49 h + 1 ms: x1 (T + 48 h) and x2 (T + 49 h) are past 48 h + 7 days.
    await pipe(other('x4', T + 9 * DAY + 49 * HOUR + 1));
    expect(await entries(ATTRIBUTION_STORES.touches)).toEqual(['c2/x3', 'c2/x4']);
  });

  it('still credits a late order (within 48 h) to a touch within the lookback, after the sweeps', async () => {
    const { pipe, entries, linear } = await open();
    await pipe(touch(1, 6), other('x1', T - 3 * DAY), other('x2', T + 47 * HOUR));
    expect(await entries(ATTRIBUTION_STORES.touches)).toEqual(['c1/t1', 'c2/x1', 'c2/x2']);
    await pipe(order);
    expect(await linear()).toEqual({ ch1: '300.00' });
    expect(await entries(ATTRIBUTION_STORES.orders)).toEqual(['c1/o1']);
  });

  it('still corrects an order within 48 h with a late touch, then forgets both', async () => {
    const { pipe, entries, linear } = await open();
    await pipe(order, other('x1', T + 20 * HOUR), touch(4, 1));
    expect(await linear()).toEqual({ ch4: '300.00' });
    await pipe(other('x2', T + 8 * DAY + 1));
    expect(await entries(ATTRIBUTION_STORES.orders)).toEqual([]);
    expect((await entries(ATTRIBUTION_STORES.touches)).filter((k) => k.startsWith('c1/'))).toEqual([]);
  });
});
