/**
 * The customer dimension with the re-join of orders (topologies/customer-dimension.ts) on
 * the TopologyTestDriver, with persistent (LevelDB, the default) and in-memory stores side
 * by side in one process, alternating. Input, piped straight into the silver and change
 * topics: `--orders` orders of `--customers` customers spread over 6 days of order time (so
 * the 48 h horizon and the sweep matter), one line each from a 500-product catalog, and one
 * customer change per `--change-every` orders, half of them back-dated 1 to 47 h behind the
 * orders (they re-join kept orders). Stores are flushed every `--commit-every` records, as a
 * commit interval. Reports input records/s, corrections published and the kept orders left.
 * The in-memory variant swaps `Stores.persistentKeyValueStore` for the memory store for the
 * whole topology (catalog included), and only in this process.
 *
 *   npx tsx benchmarks/customer-dimension.bench.ts [--orders 30000] [--customers 3000] [--change-every 10] [--commit-every 500] [--runs 3]
 */
import { Serdes, Stores, StreamsBuilder, TopologyTestDriver } from '../runtime/index.ts';
import { buildCustomerDimension, DIMENSION_STORES } from '../topologies/customer-dimension.ts';
import type { InputEvent } from '../topologies/logic/silver/input-event.ts';
import { pipelineConfig } from '../topologies/pipeline-config.ts';
import { buildProductCatalog } from '../topologies/silver-enrich.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const orders = arg('--orders', 30_000);
const customers = arg('--customers', 3_000);
const changeEvery = arg('--change-every', 10);
const commitEvery = arg('--commit-every', 500);
const runs = arg('--runs', 3);
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5);

type Variant = 'persistent' | 'inMemory';

async function run(variant: Variant): Promise<{ rate: number; corrections: number; kept: number }> {
  const persistent = Stores.persistentKeyValueStore;
  if (variant === 'inMemory') Stores.persistentKeyValueStore = Stores.inMemoryKeyValueStore;
  const config = pipelineConfig({ prefix: 'bench.' });
  const builder = new StreamsBuilder();
  const silver = builder.stream(config.topics.silverEvents, { keySerde: Serdes.String(), valueSerde: Serdes.Json<InputEvent>() });
  buildCustomerDimension(builder, silver, buildProductCatalog(builder, config), config);
  const driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: `dim-bench-${variant}`, commitEachRecord: false });
  Stores.persistentKeyValueStore = persistent;
  const products = driver.createInputTopic(config.topics.products, Serdes.String(), Serdes.Json<object>());
  for (let p = 0; p < 500; p++) await products.pipeInput(`p${p}`, { productId: `p${p}`, name: `Product ${p}`, category: `cat${p % 20}` }, START);
  const silverIn = driver.createInputTopic(config.topics.silverEvents, Serdes.String(), Serdes.Json<object>());
  const changes = driver.createInputTopic(config.topics.customerChanges, Serdes.String(), Serdes.Json<object>());
  const output = driver.createOutputTopic(config.topics.ordersEnriched, Serdes.String(), Serdes.Json<{ revision: number }>());
  const span = 6 * 24 * HOUR;
  let piped = 0;
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) {
    const time = START + Math.floor((i / orders) * span);
    const customerId = `c${(i * 7919) % customers}`;
    const order = { type: 'order', eventId: `e${i}`, orderId: `o${i}`, customerId, time, channel: 'web', country: 'DE', currency: 'EUR', lines: [{ productId: `p${i % 600}`, category: 'x', quantity: 1, unitPrice: '9.99' }] };
    await silverIn.pipeInput(customerId, order, time);
    piped++;
    if (i % changeEvery === 0) {
      const backDated = (i / changeEvery) % 2 === 0;
      const effectiveFrom = backDated ? time - (1 + (i % 47)) * HOUR : time;
      await changes.pipeInput(customerId, { customerId, effectiveFrom, attributes: { city: `city${i % 13}`, segment: `s${i % 3}` } }, time);
      piped++;
    }
    if (piped % commitEvery < 2) await driver.commit();
  }
  await driver.commit();
  const seconds = (performance.now() - t0) / 1000;
  const corrections = output.readValuesToList().filter((v) => v.revision > 0).length;
  const kept = driver.getKeyValueStore(DIMENSION_STORES.orders).approximateNumEntries();
  await driver.close();
  return { rate: piped / seconds, corrections, kept };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<Variant, { rate: number; corrections: number; kept: number }[]> = { persistent: [], inMemory: [] };
for (let r = 0; r < runs; r++) {
  const order: Variant[] = r % 2 === 0 ? ['persistent', 'inMemory'] : ['inMemory', 'persistent'];
  for (const v of order) results[v].push(await run(v));
}
console.log(`orders ${orders}, customers ${customers}, a change per ${changeEvery} orders (half back-dated), commit every ${commitEvery}; median of ${runs}`);
for (const v of ['persistent', 'inMemory'] as const) {
  const rs = results[v];
  console.log(`${v}: ${Math.round(median(rs.map((x) => x.rate)))} records/s (runs ${rs.map((x) => Math.round(x.rate)).join(', ')}); corrections ${rs[0]!.corrections}; kept orders at the end ${rs[0]!.kept}`);
}
