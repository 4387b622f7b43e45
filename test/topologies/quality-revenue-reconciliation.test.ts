import { afterEach, describe, expect, it } from 'vitest';
import { InMemorySchemaResolver, Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { goldAvroSerdes } from '../../topologies/gold-contract.ts';
import { salesRowKey, type SalesRow } from '../../topologies/gold-sales.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { runGoldOracle } from '../../topologies/oracle/gold-oracle.ts';
import { SEEDED_RATES, seededInput } from '../../topologies/oracle/seeded-input.ts';
import { pipelineConfig, type PipelineConfig } from '../../topologies/pipeline-config.ts';
import { REVENUE_STORES } from '../../topologies/quality-revenue-reconciliation.ts';

/** Silver revenue = gold revenue per 1-minute event-time window, on the whole medallion topology. */
const START = Date.UTC(2026, 0, 5, 8);
const MINUTE = Date.UTC(2026, 0, 5, 8, 30);
const SETTLE = 1000;
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

async function start(partitions: number, avro = false, commitEachRecord = true) {
  const json = pipelineConfig({ prefix: 'rev.', rates: SEEDED_RATES, reconciliationSettleMs: SETTLE, rfmReferenceTime: START });
  const config: PipelineConfig = avro ? { ...json, goldSerdes: await goldAvroSerdes(new InMemorySchemaResolver(), json.topics, SEEDED_RATES.base) } : json;
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions, applicationId: 'revenue-unit', initialWallClockTimeMs: MINUTE, commitEachRecord });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  const pipe = (e: unknown, at: number) => bronze.pipeInput('bronze', Buffer.from(JSON.stringify(e)), at);
  const rows = () => driver!.createOutputTopic(config.topics.revenueReconciliation, Serdes.String(), config.goldSerdes.revenueReconciliation()).readKeyValuesToMap();
  const alerts = () => driver!.createOutputTopic(config.topics.alerts, Serdes.String(), config.goldSerdes.alerts()).readKeyValuesToMap();
  return { config, pipe, rows, alerts };
}

const order = (id: string, time: number, category: string, quantity: number, unitPrice: string, currency = 'EUR') => ({ type: 'order', eventId: id, orderId: id, customerId: 'c1', time, channel: 'web', country: 'DE', currency, lines: [{ productId: 'p1', category, quantity, unitPrice }] });

/** Sum of exact decimal texts with two places, as integer cents. */
const cents = (texts: string[]) => texts.reduce((n, t) => n + BigInt(t.replace('.', '')), 0n);

describe('revenue reconciliation', () => {
  it.each([
    [1, false],
    [3, false],
    [2, true],
  ])('partitions %i, Avro gold values %s: the seeded input balances in every minute, and silver equals the oracle per minute', async (partitions, avro) => {
    const { pipe, rows, alerts } = await start(partitions, avro);
    const input = seededInput({ seed: 23, events: 500, start: START });
    for (const [i, e] of input.entries()) await pipe(e, START + i * 1000);
    expect(rows().size).toBe(0);
    await driver!.advanceWallClockTime(SETTLE);
    const published = [...rows().values()];
    // The oracle's revenue per minute, summed over its 1-minute sales rows.
    const oracle = new Map<number, string[]>();
    for (const r of runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: START }).sales.filter((r) => r.window === '1m')) oracle.set(r.windowStart, [...(oracle.get(r.windowStart) ?? []), r.revenue]);
    expect(published.length).toBe(oracle.size);
    for (const row of published) {
      expect(row.balanced, String(row.windowStart)).toBe(true);
      expect(row.goldRevenue).toBe(row.silverRevenue);
      expect(cents([row.silverRevenue])).toBe(cents(oracle.get(row.windowStart)!));
    }
    expect([...alerts().keys()].filter((k) => k.startsWith('reconciliation|revenue|'))).toEqual([]);
  });

  it('sums the silver revenue per task and window before the repartition: 90 orders in a burst send a few partial sums, and each window balances to the cent', async () => {
    const { pipe, rows } = await start(2, false, false);
    const expected = new Map<number, bigint>();
    for (let i = 0; i < 90; i++) {
      const time = MINUTE + (i % 3) * 60_000 + i * 100; // three event-time windows
      const quantity = 1 + (i % 4);
      await pipe({ ...order(`o${i}`, time, i % 2 === 0 ? 'books' : 'toys', quantity, '10.05'), customerId: `c${i % 5}` }, MINUTE + 1_000 + i * 10);
      const start = time - (time % 60_000);
      expected.set(start, (expected.get(start) ?? 0n) + BigInt(quantity) * 1005n);
    }
    await driver!.commit(); // silver partials and the cached gold sales rows go out
    await driver!.commit();
    // At most one partial sum per upstream task (2 partitions) and window, instead of one record per order.
    const partials = driver!.createOutputTopic('revenue-unit-dq-recon-revenue-silver-repartition', Serdes.String(), Serdes.Json<{ side: string; revenue: string }>()).readKeyValuesToList();
    expect(partials.length).toBeGreaterThanOrEqual(3);
    expect(partials.length).toBeLessThanOrEqual(6);
    await driver!.advanceWallClockTime(SETTLE);
    await driver!.commit();
    const published = rows();
    expect([...published.keys()].sort()).toEqual([...expected.keys()].map(String).sort());
    for (const [start, total] of expected) {
      const row = published.get(String(start))!;
      expect(cents([row.silverRevenue]), String(start)).toBe(total);
      expect(row).toMatchObject({ goldRevenue: row.silverRevenue, balanced: true });
    }
  });

  it('balances a window whose gold row is updated (latest per key), alerts once on an injected gold row, and drops the window 48 h + 1 h after its end', async () => {
    const { config, pipe, rows, alerts } = await start(2);
    await pipe(order('o1', MINUTE + 1_000, 'toys', 2, '10.05'), MINUTE);
    await pipe(order('o2', MINUTE + 2_000, 'toys', 1, '3.10', 'USD'), MINUTE); // 2.83 EUR
    await pipe(order('o3', MINUTE + 3_000, 'books', 3, '1.00'), MINUTE);
    await driver!.advanceWallClockTime(SETTLE);
    expect(rows().get(String(MINUTE))).toEqual({ windowStart: MINUTE, windowEnd: MINUTE + 60_000, silverRevenue: '25.93', goldRevenue: '25.93', balanced: true });
    // A gold row no order is behind, written straight to the gold topic.
    const gold = driver!.createInputTopic(config.topics.salesPerformance, Serdes.String(), Serdes.Json<SalesRow>());
    const injected: SalesRow = { window: '1m', windowStart: MINUTE, windowEnd: MINUTE + 60_000, category: 'garden', channel: 'web', country: 'DE', revenue: '5.00', orders: 1, units: 1, aov: '5.00' };
    await gold.pipeInput(salesRowKey('1m', MINUTE, 'garden', 'web', 'DE'), injected, MINUTE);
    await driver!.advanceWallClockTime(SETTLE);
    expect(rows().get(String(MINUTE))).toMatchObject({ silverRevenue: '25.93', goldRevenue: '30.93', balanced: false });
    const alert = { kind: 'reconciliation', windowStart: MINUTE, metric: 'revenue', observed: '30.93', threshold: '25.93', message: 'silver revenue 25.93 != gold revenue 30.93' };
    expect(alerts().get(`reconciliation|revenue|${MINUTE}`)).toMatchObject(alert);
    // Raised once per window: a second injected update changes the row, not the alerts.
    await gold.pipeInput(salesRowKey('1m', MINUTE, 'garden', 'web', 'DE'), { ...injected, revenue: '7.00' }, MINUTE);
    await driver!.advanceWallClockTime(SETTLE);
    expect(rows().get(String(MINUTE))).toMatchObject({ goldRevenue: '32.93', balanced: false });
    const raised = driver!.createOutputTopic(config.topics.alerts, Serdes.String(), config.goldSerdes.alerts()).readKeyValuesToList().filter((a) => a.key === `reconciliation|revenue|${MINUTE}`);
    expect(raised.length).toBe(1);
    // Both sides move 49 h past the window's end: its state is dropped.
    const windows = driver!.getKeyValueStore<string, unknown>(REVENUE_STORES.windows);
    expect(windows.get(String(MINUTE))).toBeDefined();
    await pipe(order('o4', MINUTE + 60_000 + 49 * 3_600_000, 'toys', 1, '1.00'), MINUTE);
    await driver!.advanceWallClockTime(SETTLE);
    await driver!.advanceWallClockTime(SETTLE);
    expect(windows.get(String(MINUTE))).toBeUndefined();
    expect(rows().get(String(MINUTE + 60_000 + 49 * 3_600_000))).toMatchObject({ silverRevenue: '1.00', goldRevenue: '1.00', balanced: true });
  });

  it('refuses a gold row whose key is not a sales key with a clear error', async () => {
    const { config } = await start(1);
    const gold = driver!.createInputTopic(config.topics.salesPerformance, Serdes.String(), Serdes.Json<unknown>());
    await expect(async () => gold.pipeInput('minute-5', { revenue: '1.00' }, MINUTE)).rejects.toThrow('gold sales key is not [window, windowStart, category, channel, country]: minute-5');
  });
});
