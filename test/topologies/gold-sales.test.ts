import { afterEach, describe, expect, it } from 'vitest';
import { defaultLateEventsTopic, Serdes, StreamsBuilder, type Serde, TopologyTestDriver, type WindowStore } from '../../runtime/index.ts';
import { buildGoldSales, salesRowKey, salesStore } from '../../topologies/gold-sales.ts';
import type { InputEvent, OrderEvent } from '../../topologies/logic/silver/input-event.ts';
import { runGoldOracle } from '../../topologies/oracle/gold-oracle.ts';
import { SEEDED_RATES, seededInput } from '../../topologies/oracle/seeded-input.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { buildSilverGate } from '../../topologies/silver-gate.ts';
import { goldRows, oracleRows } from './support/gold-outputs.ts';

/**
 * Gold sales performance on the runtime's windowed stores: equal to the batch oracle for a
 * seeded input (late, out-of-order, duplicate and malformed events), and an old window's
 * state is dropped once stream time passes its end + 48 h grace.
 */
const START = Date.UTC(2026, 0, 5, 8);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const APP = 'gold-sales-unit';
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

type State = { cents: string; orders: number; units: number };

async function start(withGate: boolean, partitions: number) {
  const config = pipelineConfig({ prefix: 'sales.', rates: SEEDED_RATES });
  const builder = new StreamsBuilder();
  if (withGate) buildSilverGate(builder, config, (accepted) => buildGoldSales(builder, accepted, config));
  else buildGoldSales(builder, builder.stream(config.topics.silverEvents, { keySerde: Serdes.String() as Serde<string | null>, valueSerde: Serdes.Json<InputEvent>() }), config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions, applicationId: APP });
  const sales = () => driver!.createOutputTopic(config.topics.salesPerformance, Serdes.String(), Serdes.Json<Record<string, unknown>>()).readKeyValuesToMap();
  const late = () => driver!.createOutputTopic(defaultLateEventsTopic(APP), Serdes.String(), Serdes.Bytes()).getQueueSize();
  return { config, sales, late };
}

/** Every live window of a store as `group@start`, sorted. */
async function windows(name: string): Promise<string[]> {
  const store = driver!.getKeyValueStore(name) as unknown as WindowStore<string, State>;
  const out: string[] = [];
  for await (const w of store.all()) out.push(`${w.key}@${w.windowStart - START}`);
  return out.sort();
}

const order = (id: string, time: number, category = 'toys'): OrderEvent => ({ type: 'order', eventId: id, orderId: id, customerId: 'c1', time, channel: 'web', country: 'DE', currency: 'EUR', lines: [{ productId: 'p1', category, quantity: 2, unitPrice: '10.05' }] });

describe('gold sales performance on windowed stores', () => {
  it.each([
    [1, 5, 600],
    [3, 17, 900],
  ])('partitions %i, seed %i, %i events: every row equals the batch oracle, and no accepted order is late', async (partitions, seed, events) => {
    const { config, sales, late } = await start(true, partitions);
    const input = seededInput({ seed, events, start: START });
    const bronze = driver!.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
    for (const [i, e] of input.entries()) await bronze.pipeInput('bronze', Buffer.from(JSON.stringify(e)), START + i * 1000);
    const oracle = runGoldOracle(input, { rates: SEEDED_RATES, rfmReferenceTime: START });
    expect(oracle.counts.late).toBeGreaterThan(0);
    const expected = oracleRows(oracle).sales;
    expect(expected.length).toBeGreaterThan(0);
    const empty = new Map<string, Record<string, unknown> | null>();
    expect(goldRows({ sales: sales(), channels: empty, attribution: empty, rfm: empty }).sales).toEqual(expected);
    expect(late()).toBe(0);
    // The input spans about four days: the 1-minute store keeps only the last ~49 hours.
    const minuteRows = expected.filter((r) => r.window === '1m').length;
    expect((await windows(salesStore('1m'))).length).toBeLessThan(minuteRows * 0.75);
  });

  it('drops a window from its store once stream time passes its end + 48 h, per window size', async () => {
    const { config, sales, late } = await start(false, 1);
    const silver = driver!.createInputTopic(config.topics.silverEvents, Serdes.String(), Serdes.Json<InputEvent>());
    const group = JSON.stringify(['toys', 'web', 'DE']);
    const other = JSON.stringify(['books', 'web', 'DE']);
    await silver.pipeInput('c1', order('a', START + 5_000), START);
    expect(await windows(salesStore('1m'))).toEqual([`${group}@0`]);
    // Stream time one ms short of the 1-minute window's end + grace: it is still kept.
    await silver.pipeInput('c1', order('b', START + MIN + 48 * HOUR - 1, 'books'), START);
    expect(await windows(salesStore('1m'))).toEqual([`${other}@${48 * HOUR}`, `${group}@0`]);
    // Reaching it drops the 1-minute window; the 1-hour and 1-day windows stay.
    await silver.pipeInput('c1', order('c', START + MIN + 48 * HOUR, 'books'), START);
    expect(await windows(salesStore('1m'))).not.toContain(`${group}@0`);
    expect(await windows(salesStore('1h'))).toContain(`${group}@0`);
    // The day of START began at 00:00, 8 h before it.
    expect(await windows(salesStore('1d'))).toContain(`${group}@${-8 * HOUR}`);
    await silver.pipeInput('c1', order('d', START + HOUR + 48 * HOUR, 'books'), START);
    expect(await windows(salesStore('1h'))).not.toContain(`${group}@0`);
    expect(await windows(salesStore('1d'))).toContain(`${group}@${-8 * HOUR}`);
    await silver.pipeInput('c1', order('e', START - 8 * HOUR + DAY + 48 * HOUR, 'books'), START);
    expect(await windows(salesStore('1d'))).toEqual([`${other}@${2 * DAY - 8 * HOUR}`, `${other}@${3 * DAY - 8 * HOUR}`]);
    expect(late()).toBe(0);
    // An order for dropped windows is refused to the late-events topic (by each of the three
    // window sizes' aggregates); its rows are unchanged.
    const before = sales().get(salesRowKey('1m', START, 'toys', 'web', 'DE'));
    expect(before).toMatchObject({ revenue: '20.10', orders: 1, units: 2 });
    await silver.pipeInput('c1', order('f', START + 6_000), START);
    expect(late()).toBe(3);
    expect(sales().get(salesRowKey('1m', START, 'toys', 'web', 'DE'))).toEqual(before);
  });
});
