import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';

/** The product-catalog join onto clicks: the catalog row current when the click is processed, null when unknown. */
const T = Date.UTC(2026, 0, 5, 8);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

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
});
