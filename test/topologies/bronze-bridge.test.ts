import avro from 'avsc';
import { afterEach, describe, expect, it } from 'vitest';
import { DLQ_HEADERS, InMemorySchemaResolver, Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import { CampaignSpendSchema, ClickstreamEventSchema, CustomerProfileSchema, ProductSchema, SalesOrderSchema } from '../../schemas/generated/index.ts';
import { LOGICAL_TYPES } from '../../schemas/logical-types.ts';
import { buildBronzeBridge } from '../../topologies/bronze-bridge.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { pipelineTopics } from '../../topologies/pipeline-topics.ts';

/**
 * The bronze bridge on the test driver: Avro bronze records (encoded here with avsc and the
 * decimal logical type, independently of the bridge) come out on the pipeline topics as
 * the contract's JSON with lineage headers, and every record that cannot be decoded or
 * mapped is on the bridge DLQ with its original bytes, headers and reason.
 */
const topics = pipelineTopics('bridge.');
const sources = { sales: 'bridge.bronze.sales.raw', clickstream: 'bridge.bronze.clickstream.raw', campaigns: 'bridge.bronze.marketing.campaigns', customers: 'bridge.bronze.customers.profiles', products: 'bridge.bronze.catalog.products' };
const lineage = { 'sh-source': 'generator', 'sh-producer': 'test@host', 'sh-ingest-time': '1767600000000' };
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

function framed(resolver: InMemorySchemaResolver, topic: string, schema: object, value: object): Buffer {
  const id = resolver.register(`${topic}-value`, schema as never);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(id, 1);
  return Buffer.concat([head, avro.Type.forSchema(schema as avro.Schema, { logicalTypes: LOGICAL_TYPES }).toBuffer(value)]);
}

const order = (over: object) => ({
  event_id: 'e1', order_id: 'o1', event_time: 1_000, status: 'PLACED', cancels_order_id: null, customer_id: 42, user_session: null, country: 'DE',
  currency: 'EUR', channel: 'email', campaign_id: null, source: 'generator',
  lines: [{ line_number: 1, product_id: 'p1', description: null, category_code: 'toys', quantity: 2, unit_price: '19.9900', seller_id: null }], ...over,
});
const spend = (amount: string, updatedAt: number) => ({
  campaign_id: 'cmp1', campaign_name: null, channel: 'social', day: 20_000, spend: amount, currency: 'USD', impressions: null, clicks: null,
  utm_source: null, utm_medium: null, utm_campaign: null, updated_at: updatedAt, source: 'generator',
});

describe('bronze bridge', () => {
  it('maps every Avro bronze record to the pipeline or dead-letters it with the reason; in = bridged + dead-lettered', async () => {
    const resolver = new InMemorySchemaResolver();
    const counts = new Map<string, number>();
    const builder = new StreamsBuilder();
    buildBronzeBridge(builder, { sources, topics, resolver, onOutcome: (t, o) => counts.set(`${t}:${o}`, (counts.get(`${t}:${o}`) ?? 0) + 1) });
    driver = await TopologyTestDriver.create(builder.build(), { applicationId: 'bridge-unit' });
    const input = (topic: string) => driver!.createInputTopic(topic, Serdes.String(), Serdes.Bytes());
    const sales = input(sources.sales);
    const placed = framed(resolver, sources.sales, SalesOrderSchema, order({}));
    await sales.pipeInput('o1', placed, 10, lineage);
    await sales.pipeInput('o1-c', framed(resolver, sources.sales, SalesOrderSchema, order({ event_id: 'e2', order_id: 'o1-c', status: 'CANCELLED', cancels_order_id: 'o1', lines: [{ ...order({}).lines[0]!, quantity: -2 }] })), 11, lineage);
    const adjustment = framed(resolver, sources.sales, SalesOrderSchema, order({ event_id: 'e3', status: 'ADJUSTMENT' }));
    await sales.pipeInput('o2', adjustment, 12, lineage);
    await sales.pipeInput('o3', Buffer.from('{"event_id":"x"}'), 13, lineage); // JSON, no magic byte
    const unknownId = Buffer.from(placed);
    unknownId.writeUInt32BE(0x7fffffff, 1);
    await sales.pipeInput('o4', unknownId, 14, lineage);
    await sales.pipeInput('o5', placed.subarray(0, 12), 15, lineage); // truncated
    await input(sources.clickstream).pipeInput('1007', framed(resolver, sources.clickstream, ClickstreamEventSchema, {
      event_id: 'c1', event_time: 900, event_type: 'remove_from_cart', product_id: 'p1', category_id: null, category_code: null, brand: null, price: '1.5000',
      currency: 'USD', user_id: 1007, user_session: 's', search_query: null, order_id: null, device_type: null, device_os: null, country: null,
      page_url: '/p1', referrer: null, channel: null, campaign_id: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, source: 'rees46',
    }), 16, lineage);
    const campaigns = input(sources.campaigns);
    await campaigns.pipeInput('cmp1', framed(resolver, sources.campaigns, CampaignSpendSchema, spend('10.0000', 100)), 17, lineage);
    await campaigns.pipeInput('cmp1', framed(resolver, sources.campaigns, CampaignSpendSchema, spend('12.5000', 200)), 18, lineage);
    await campaigns.pipeInput('cmp1', framed(resolver, sources.campaigns, CampaignSpendSchema, spend('11.0000', 300)), 19, lineage);
    await input(sources.customers).pipeInput('42', framed(resolver, sources.customers, CustomerProfileSchema, {
      customer_id: 42, email: null, full_name: 'Ada', country: 'GB', city: 'Leeds', loyalty_tier: null, marketing_opt_in: false,
      birth_year: null, signup_time: null, updated_at: 800, deleted: false, source: 'generator',
    }), 20, lineage);
    await input(sources.products).pipeInput('p1', framed(resolver, sources.products, ProductSchema, {
      product_id: 'p1', name: 'Robot', category_id: null, category_code: null, brand: null, price: '3.0000', currency: 'USD', seller_id: null, is_active: true, updated_at: 1, source: 'generator',
    }), 21, lineage);

    const events = driver.createOutputTopic(topics.bronzeEvents, Serdes.String(), Serdes.Json<Record<string, unknown>>()).readRecordsToList();
    expect(events.map((r) => [r.key, r.value])).toEqual([
      ['e1', { type: 'order', eventId: 'e1', time: 1_000, orderId: 'o1', customerId: '42', channel: 'email', country: 'DE', currency: 'EUR', lines: [{ productId: 'p1', category: 'toys', quantity: 2, unitPrice: '19.9900' }] }],
      ['e2', { type: 'cancellation', eventId: 'e2', time: 1_000, orderId: 'o1', customerId: '42', currency: 'EUR', amount: '39.9800' }],
      ['c1', { type: 'click', eventId: 'c1', time: 900, userId: '1007', eventType: 'remove_from_cart', channel: 'direct', page: '/p1', campaign: null, productId: 'p1' }],
      ['spend:cmp1:20000:social:100', { type: 'spend', eventId: 'spend:cmp1:20000:social:100', time: 20_000 * 86_400_000, campaign: 'cmp1', channel: 'social', currency: 'USD', amount: '10.0000' }],
      ['spend:cmp1:20000:social:200', { type: 'spend', eventId: 'spend:cmp1:20000:social:200', time: 20_000 * 86_400_000, campaign: 'cmp1', channel: 'social', currency: 'USD', amount: '2.5000' }],
    ]);
    expect(events[0]!.headers).toMatchObject({ ...lineage, 'sh-schema-id': String(placed.readUInt32BE(1)), 'sh-origin': `${sources.sales}/0/0` });
    expect(driver.createOutputTopic(topics.customerChanges, Serdes.String(), Serdes.Json()).readKeyValuesToList()).toEqual([
      { key: '42', value: { customerId: '42', effectiveFrom: 800, sequence: 0, attributes: { name: 'Ada', email: null, city: 'Leeds', country: 'GB', segment: null, marketingOptIn: false } } },
    ]);
    expect(driver.createOutputTopic(topics.products, Serdes.String(), Serdes.Json()).readKeyValuesToList()).toEqual([{ key: 'p1', value: { productId: 'p1', name: 'Robot', category: 'unknown' } }]);

    const dlq = driver.createOutputTopic(topics.bridgeDlq, Serdes.String(), Serdes.Bytes()).readRecordsToList();
    expect(dlq.map((r) => [r.key, r.headers[DLQ_HEADERS.errorClass], String(r.headers[DLQ_HEADERS.errorMessage])])).toEqual([
      ['o2', 'NO_CONTRACT', 'a ADJUSTMENT sales order has no pipeline contract (orders are PLACED, CANCELLED or RETURNED)'],
      ['o3', 'DECODE_ERROR', `cannot decode the Avro value on ${sources.sales}: not Confluent Avro on ${sources.sales}: expected magic byte 0 and a 4-byte schema id`],
      ['o4', 'DECODE_ERROR', `cannot decode the Avro value on ${sources.sales}: schema id ${0x7fffffff} on ${sources.sales} was not prepared (unknown to the registry at prepare time); loading schema id ${0x7fffffff}: schema id ${0x7fffffff} is not registered`],
      ['o5', 'DECODE_ERROR', expect.stringMatching(/^cannot decode the Avro value on .*: .*truncated/)],
      ['cmp1', 'MAPPING_ERROR', 'spend of cmp1 on day 20000 (social) corrected down from 12.5000 to 11.0000: spend events cannot be negative'],
    ]);
    expect(dlq.map((r) => r.value)).toEqual([adjustment, Buffer.from('{"event_id":"x"}'), unknownId, placed.subarray(0, 12), expect.any(Buffer)]);
    expect(dlq[1]!.headers).toMatchObject({ ...lineage, [DLQ_HEADERS.sourceTopic]: sources.sales, [DLQ_HEADERS.sourceOffset]: '3' });
    expect(Object.fromEntries(counts)).toEqual({
      [`${sources.sales}:bridged`]: 2, [`${sources.sales}:dead-lettered`]: 4, [`${sources.clickstream}:bridged`]: 1,
      [`${sources.campaigns}:bridged`]: 2, [`${sources.campaigns}:dead-lettered`]: 1, [`${sources.customers}:bridged`]: 1, [`${sources.products}:bridged`]: 1,
    });
  });

  it('feeds the medallion pipeline in one topology: an Avro order is accepted into silver', async () => {
    const resolver = new InMemorySchemaResolver();
    const config = pipelineConfig({ prefix: 'bridge.' });
    const builder = new StreamsBuilder();
    buildMedallion(builder, config);
    buildBronzeBridge(builder, { sources, topics: config.topics, resolver });
    driver = await TopologyTestDriver.create(builder.build(), { applicationId: 'bridge-medallion-unit' });
    await driver.createInputTopic(sources.sales, Serdes.String(), Serdes.Bytes()).pipeInput('o1', framed(resolver, sources.sales, SalesOrderSchema, order({ event_id: 'e9', customer_id: 77 })), 10, lineage);
    const silver = driver.createOutputTopic(config.topics.silverEvents, Serdes.String(), Serdes.Json<Record<string, unknown>>()).readRecordsToList();
    expect(silver.map((r) => [r.key, r.value.type, r.value.eventId, r.headers['sh-origin']])).toEqual([['77', 'order', 'e9', `${sources.sales}/0/0`]]);
  });

  it('reads a schema version registered after start (evolution), and dead-letters an id the registry does not know', async () => {
    const resolver = new InMemorySchemaResolver();
    const builder = new StreamsBuilder();
    buildBronzeBridge(builder, { sources, topics, resolver });
    driver = await TopologyTestDriver.create(builder.build(), { applicationId: 'bridge-evolution-unit' });
    // v2 adds a field with a default (a BACKWARD and FORWARD compatible change), registered once the bridge runs.
    const v2 = { ...ClickstreamEventSchema, fields: [...ClickstreamEventSchema.fields, { name: 'ab_variant', type: ['null', 'string'], default: null }] };
    const click = {
      event_id: 'c2', event_time: 900, event_type: 'view', product_id: null, category_id: null, category_code: null, brand: null, price: null,
      currency: 'USD', user_id: 5, user_session: 's', search_query: 'lamp', order_id: null, device_type: null, device_os: null, country: null,
      page_url: null, referrer: null, channel: 'email', campaign_id: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null, source: 'x', ab_variant: 'B',
    };
    const written = framed(resolver, sources.clickstream, v2, click);
    const stranger = Buffer.from(written);
    stranger.writeUInt32BE(999, 1);
    const input = driver.createInputTopic(sources.clickstream, Serdes.String(), Serdes.Bytes());
    await input.pipeInput('5', written, 1, lineage);
    await input.pipeInput('5', stranger, 2, lineage);
    await input.pipeInput('5', stranger, 3, lineage);
    const events = driver.createOutputTopic(topics.bronzeEvents, Serdes.String(), Serdes.Json<Record<string, unknown>>()).readRecordsToList();
    expect(events.map((r) => [r.value.eventId, r.value.page, r.headers['sh-schema-id']])).toEqual([['c2', 'search:lamp', String(written.readUInt32BE(1))]]);
    const dlq = driver.createOutputTopic(topics.bridgeDlq, Serdes.String(), Serdes.Bytes()).readRecordsToList();
    expect(dlq.map((r) => String(r.headers[DLQ_HEADERS.errorMessage]))).toEqual([
      `cannot decode the Avro value on ${sources.clickstream}: schema id 999 on ${sources.clickstream} was not prepared (unknown to the registry at prepare time); loading schema id 999: schema id 999 is not registered`,
      `cannot decode the Avro value on ${sources.clickstream}: schema id 999 on ${sources.clickstream} was not prepared (unknown to the registry at prepare time)`,
    ]);
  });
});
