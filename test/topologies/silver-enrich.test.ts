import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/**
 * The product-catalog joins (a global table) onto clicks and order lines: the catalog row
 * current when the record is processed, null when unknown; a later catalog change does not
 * update what was published (no retroactive update).
 */
const T = Date.UTC(2026, 0, 5, 8);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

type Line = { productId: string; category: string; productName: string | null; catalogCategory: string | null; productKnown: boolean };
type Enriched = { order: { orderId: string; lines: Line[] }; revision: number; customer: { attributes: { city: string } } | null };

const order = (n: number, productIds: readonly string[]) => ({
  type: 'order', eventId: `o${n}`, orderId: `ord${n}`, customerId: 'c1', time: T + n, channel: 'web', country: 'DE', currency: 'EUR',
  lines: productIds.map((productId) => ({ productId, category: 'sold-as', quantity: 1, unitPrice: '2.50' })),
});
const click = (n: number, productId: string) => ({ type: 'click', eventId: `k${n}`, userId: 'u1', time: T + n, eventType: 'view', channel: 'email', page: '/', campaign: null, productId });

describe('silver enrichment (stream-table join with the product catalog)', () => {
  it('adds name and category from the catalog; an unknown product keeps nulls; a catalog update applies to later clicks', async () => {
    const config = pipelineConfig({ prefix: 'enrich.' });
    const builder = new StreamsBuilder();
    buildMedallion(builder, config);
    driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'enrich-unit' });
    const products = driver.createInputTopic(config.topics.products, Serdes.String(), Serdes.Json<object>());
    const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
    await products.pipeInput('p1', { productId: 'p1', name: 'Kite', category: 'toys' }, T);
    await bronze.pipeInput('b', Buffer.from(JSON.stringify(click(1, 'p1'))), T + 1);
    await bronze.pipeInput('b', Buffer.from(JSON.stringify(click(2, 'p9'))), T + 2);
    await products.pipeInput('p1', { productId: 'p1', name: 'Kite', category: 'garden' }, T + 3);
    await bronze.pipeInput('b', Buffer.from(JSON.stringify(click(3, 'p1'))), T + 4);
    const out = driver.createOutputTopic(config.topics.clicksEnriched, Serdes.String(), Serdes.Json<{ eventId: string; category: string | null; productName: string | null; productKnown: boolean }>()).readKeyValuesToList();
    expect(out.map((r) => [r.key, r.value.eventId, r.value.productName, r.value.category, r.value.productKnown])).toEqual([
      ['u1', 'k1', 'Kite', 'toys', true],
      ['u1', 'k2', null, null, false],
      ['u1', 'k3', 'Kite', 'garden', true],
    ]);
  });

  it('adds name and catalog category to each order line, keeps the line category, nulls for an unknown product, never retroactively', async () => {
    const config = pipelineConfig({ prefix: 'enrich.' });
    const builder = new StreamsBuilder();
    buildMedallion(builder, config);
    driver = await TopologyTestDriver.create(builder.build(), { partitions: 2, applicationId: 'enrich-orders-unit' });
    const products = driver.createInputTopic(config.topics.products, Serdes.String(), Serdes.Json<object>());
    const changes = driver.createInputTopic(config.topics.customerChanges, Serdes.String(), Serdes.Json<object>());
    const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
    const enriched = driver.createOutputTopic(config.topics.ordersEnriched, Serdes.String(), Serdes.Json<Enriched>());
    const lines = (e: Enriched) => e.order.lines.map((l) => [l.productId, l.category, l.productName, l.catalogCategory, l.productKnown]);
    await changes.pipeInput('c1', { customerId: 'c1', effectiveFrom: T, attributes: { city: 'Berlin' } }, T);
    await products.pipeInput('p1', { productId: 'p1', name: 'Kite', category: 'toys' }, T);
    await bronze.pipeInput('b', Buffer.from(JSON.stringify(order(1, ['p1', 'p9']))), T + 1);
    // p9 enters the catalog and p1 moves after order 1: order 1 is not updated; order 2 sees both.
    await products.pipeInput('p9', { productId: 'p9', name: 'Yo-yo', category: 'games' }, T + 2);
    await products.pipeInput('p1', { productId: 'p1', name: 'Kite', category: 'garden' }, T + 2);
    await bronze.pipeInput('b', Buffer.from(JSON.stringify(order(2, ['p9']))), T + 3);
    const first = enriched.readKeyValuesToList();
    expect(first.map((r) => [r.key, r.value.revision, lines(r.value)])).toEqual([
      ['ord1', 0, [['p1', 'sold-as', 'Kite', 'toys', true], ['p9', 'sold-as', null, null, false]]],
      ['ord2', 0, [['p9', 'sold-as', 'Yo-yo', 'games', true]]],
    ]);
    // A back-dated customer change corrects the customer of order 1 only: its lines stay as first joined.
    await changes.pipeInput('c1', { customerId: 'c1', effectiveFrom: T + 1, attributes: { city: 'Rome' } }, T + 4);
    const corrections = enriched.readKeyValuesToList();
    expect(corrections.map((r) => [r.key, r.value.revision, r.value.customer!.attributes.city, lines(r.value)])).toEqual([
      ['ord1', 1, 'Rome', [['p1', 'sold-as', 'Kite', 'toys', true], ['p9', 'sold-as', null, null, false]]],
      ['ord2', 1, 'Rome', [['p9', 'sold-as', 'Yo-yo', 'games', true]]],
    ]);
  });
});
