import { afterEach, describe, expect, it } from 'vitest';
import { CORRECTION_HEADER, Serdes, silentLogger, StreamsBuilder, TopologyTestDriver, type TopologyTestDriverConfig } from '../../runtime/index.ts';
import { DIMENSION_STORES } from '../../topologies/customer-dimension.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { deadLetterRejected, RejectedRecordError } from '../../topologies/rejected-record.ts';

/**
 * The SCD2 customer dimension and the temporal join on the test driver: an out-of-order
 * (back-dated) change is inserted in place and re-closes its neighbours, an identical
 * update makes no version, and orders join the version valid at their event time, at the
 * version boundaries (effective_from inclusive, effective_to exclusive). A back-dated
 * change re-joins the orders of the last 48 h (order stream time) whose version it alters.
 */
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

type Enriched = { revision: number; customer: { surrogateKey: string; version: number; attributes: { city: string } } | null };
type Version = { surrogateKey: string; version: number; effectiveFrom: number; effectiveTo: number | null; isCurrent: boolean; attributes: Record<string, unknown> };

async function start(options: TopologyTestDriverConfig = {}) {
  const config = pipelineConfig({ prefix: 'scd2.' });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'scd2-unit', ...options });
  const changes = driver.createInputTopic(config.topics.customerChanges, Serdes.String(), Serdes.Json<object>());
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  const change = (effectiveFrom: number, city: string, sequence = 0) => changes.pipeInput('c1', { customerId: 'c1', effectiveFrom, attributes: { name: 'Ada', city }, sequence }, effectiveFrom);
  const order = (n: number, time: number) =>
    bronze.pipeInput('b', Buffer.from(JSON.stringify({ type: 'order', eventId: `o${n}`, orderId: `ord${n}`, customerId: 'c1', time, channel: 'web', country: 'DE', currency: 'EUR', lines: [{ productId: 'p', category: 'toys', quantity: 1, unitPrice: '1.00' }] })), time);
  const dimension = () => {
    const rows = [...driver!.createOutputTopic(config.topics.customerDimension, Serdes.String(), Serdes.Json<Version | null>()).readKeyValuesToMap().values()];
    return rows.filter((v): v is Version => v !== null).sort((a, b) => a.effectiveFrom - b.effectiveFrom).map((v) => ({ version: v.version, from: v.effectiveFrom, to: v.effectiveTo, current: v.isCurrent, city: v.attributes.city }));
  };
  const joined = () => driver!.createOutputTopic(config.topics.ordersEnriched, Serdes.String(), Serdes.Json<Enriched>()).readKeyValuesToMap();
  // Every enriched-order record not read yet: [order id, revision, version, city, correction header].
  const enrichedTopic = driver.createOutputTopic(config.topics.ordersEnriched, Serdes.String(), Serdes.Json<Enriched>());
  const published = () => enrichedTopic.readRecordsToList().map((r) => [r.key, r.value.revision, r.value.customer?.version ?? null, r.value.customer?.attributes.city ?? null, r.headers[CORRECTION_HEADER] ?? null]);
  return { change, changes, order, dimension, joined, published, config };
}

describe('customer dimension (SCD2) and temporal join', () => {
  it('inserts a back-dated change in place and re-closes its neighbours', async () => {
    const { change, dimension } = await start();
    await change(T0, 'Berlin');
    await change(T0 + 10 * DAY, 'Paris');
    await change(T0 + 5 * DAY, 'Rome'); // arrives last, belongs in the middle
    expect(dimension()).toEqual([
      { version: 1, from: T0, to: T0 + 5 * DAY, current: false, city: 'Berlin' },
      { version: 2, from: T0 + 5 * DAY, to: T0 + 10 * DAY, current: false, city: 'Rome' },
      { version: 3, from: T0 + 10 * DAY, to: null, current: true, city: 'Paris' },
    ]);
  });

  it('an identical update makes no new version, and a replay changes nothing', async () => {
    const { change, dimension, config } = await start();
    await change(T0, 'Berlin');
    await change(T0 + 3 * DAY, 'Berlin');
    await change(T0, 'Berlin');
    expect(dimension()).toEqual([{ version: 1, from: T0, to: null, current: true, city: 'Berlin' }]);
    // Only the first change wrote a row: the identical update and the replay wrote nothing.
    expect(driver!.createOutputTopic(config.topics.customerDimension, Serdes.String(), Serdes.Bytes()).getQueueSize()).toBe(1);
  });

  it('joins each order to the version valid at its event time, at the boundaries', async () => {
    const { change, order, joined } = await start();
    await change(T0, 'Berlin');
    await change(T0 + DAY, 'Paris');
    await order(1, T0 - 1); // before the first version
    await order(2, T0); // effective_from is inclusive
    await order(3, T0 + DAY - 1); // effective_to is exclusive
    await order(4, T0 + DAY);
    const rows = joined();
    expect(rows.get('ord1')!.customer).toBeNull();
    expect([2, 3, 4].map((n) => rows.get(`ord${n}`)!.customer!.attributes.city)).toEqual(['Berlin', 'Berlin', 'Paris']);
    expect(rows.get('ord4')!.customer!.version).toBe(2);
  });

  it('re-joins an order when a back-dated change covers its time, from effective_from on; earlier orders keep their version', async () => {
    const { change, order, published, dimension } = await start();
    await change(T0, 'Berlin');
    await order(1, T0 + 3 * DAY - 1);
    await order(2, T0 + 3 * DAY);
    await order(3, T0 + 4 * DAY);
    expect(published()).toEqual([
      ['ord1', 0, 1, 'Berlin', null],
      ['ord2', 0, 1, 'Berlin', null],
      ['ord3', 0, 1, 'Berlin', null],
    ]);
    // Rome from day 3, arriving after the orders: Berlin [T0, day 3), Rome [day 3, ∞).
    await change(T0 + 3 * DAY, 'Rome');
    expect(published()).toEqual([
      ['ord2', 1, 2, 'Rome', 'true'],
      ['ord3', 1, 2, 'Rome', 'true'],
    ]);
    expect(dimension().map((v) => [v.version, v.city])).toEqual([
      [1, 'Berlin'],
      [2, 'Rome'],
    ]);
  });

  it('re-emits nothing for an identical update or a replayed change', async () => {
    const { change, order, published } = await start();
    await change(T0, 'Berlin');
    await order(1, T0 + 2 * DAY);
    await change(T0 + DAY, 'Rome');
    expect(published()).toEqual([
      ['ord1', 0, 1, 'Berlin', null],
      ['ord1', 1, 2, 'Rome', 'true'],
    ]);
    await change(T0 + 36 * HOUR, 'Rome'); // identical attributes: no new version
    await change(T0 + DAY, 'Rome'); // replay
    await change(T0, 'Berlin'); // replay
    expect(published()).toEqual([]);
  });

  it('an order joined to no version is re-joined when a back-dated first change covers it', async () => {
    const { change, order, published } = await start();
    await order(1, T0 + DAY);
    await change(T0, 'Berlin');
    expect(published()).toEqual([
      ['ord1', 0, null, null, null],
      ['ord1', 1, 1, 'Berlin', 'true'],
    ]);
  });

  it('does not re-join orders more than 48 h behind the stream time of the orders', async () => {
    const { change, order, published } = await start();
    await change(T0, 'Berlin');
    await order(1, T0 + DAY - 1); // 48 h + 1 ms before order 3: forgotten
    await order(2, T0 + DAY); // exactly 48 h before: kept
    await order(3, T0 + 3 * DAY);
    published();
    await change(T0 + 12 * HOUR, 'Rome'); // Berlin [T0, T0 + 12 h), Rome from then on
    expect(published()).toEqual([
      ['ord2', 1, 2, 'Rome', 'true'],
      ['ord3', 1, 2, 'Rome', 'true'],
    ]);
  });

  it('sweeps orders past the horizon out of the store', async () => {
    const { order } = await start();
    await order(1, T0);
    await order(2, T0 + 12 * HOUR);
    await order(3, T0 + 49 * HOUR); // order 1 is 49 h behind, order 2 37 h
    const kept: string[] = [];
    for await (const { key } of driver!.getKeyValueStore<string, unknown>(DIMENSION_STORES.orders).all()) kept.push(key);
    expect(kept.sort()).toEqual(['["c1","ord2"]', '["c1","ord3"]']);
  });

  it("a malformed change is not applied and goes to the DLQ with the reason (the medallion application's handler)", async () => {
    const { change, changes, dimension } = await start({ processingExceptionHandler: deadLetterRejected, logger: silentLogger });
    await changes.pipeInput('c1', { customerId: 'c1', effectiveFrom: 'yesterday', attributes: { city: 'Oslo' } }, T0);
    await changes.pipeInput('c2', { customerId: 'c1', effectiveFrom: T0, attributes: { city: 'Oslo' } }, T0);
    await change(T0, 'Berlin');
    expect(dimension().map((v) => v.city)).toEqual(['Berlin']);
    const dlq = driver!.createOutputTopic('scd2-unit-dlq', Serdes.String(), Serdes.Json<{ customerId: string }>()).readRecordsToList();
    expect(dlq.map((r) => [r.key, String(r.headers['streamhouse.error.message'])])).toEqual([
      ['c1', 'customer change rejected: effectiveFrom must be epoch milliseconds (a safe integer)'],
      ['c2', 'customer change rejected: the record key "c2" differs from customerId "c1"'],
    ]);
  });

  it("the medallion application's handler dead-letters refused records only: any other error fails the task", () => {
    const context = {} as Parameters<typeof deadLetterRejected>[0];
    expect(deadLetterRejected(context, new RejectedRecordError('bad record'))).toBe('CONTINUE');
    expect(deadLetterRejected(context, new TypeError('a bug'))).toBe('FAIL');
  });
});
