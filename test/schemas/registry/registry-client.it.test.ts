import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryServer, type RunningRegistry } from '../../../schemas/registry/index.ts';
import { brokers, deleteTopics, recordSchema, uniqueTopic } from './registry-harness.ts';

// The registry as @kafkajs/confluent-schema-registry 3.9.0 uses it.
const topic = uniqueTopic('client');
let server: RunningRegistry;
let client: SchemaRegistry;

const orderV1 = recordSchema('Order', [
  { name: 'id', type: 'string' },
  { name: 'total', type: 'double' },
]);
const orderV2 = recordSchema('Order', [
  { name: 'id', type: 'string' },
  { name: 'total', type: 'double' },
  { name: 'currency', type: 'string', default: 'EUR' },
]);

beforeAll(async () => {
  server = await startRegistryServer({ brokers, topic, port: 0 });
  client = new SchemaRegistry({ host: server.url, retry: { retries: 0 } });
});

afterAll(async () => {
  await server?.close();
  await deleteTopics([topic]);
});

describe('@kafkajs/confluent-schema-registry against the registry', () => {
  it('registers, sets the subject level on first registration, and returns the existing id again', async () => {
    const { id } = await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-value' });
    expect(id).toBeGreaterThan(0);
    const again = await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-value' });
    expect(again.id).toBe(id);
    const config = await fetch(`${server.url}/config/orders-value`).then((r) => r.json());
    expect(config).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('gives the same schema the same id under another subject', async () => {
    const a = await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-value' });
    const b = await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-copy-value' });
    expect(b.id).toBe(a.id);
  });

  it('looks ids up by subject, version and schema', async () => {
    const { id: v1 } = await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-value' });
    const { id: v2 } = await client.register({ type: SchemaType.AVRO, schema: orderV2 }, { subject: 'orders-value' });
    expect(v2).not.toBe(v1);
    expect(await client.getLatestSchemaId('orders-value')).toBe(v2);
    expect(await client.getRegistryId('orders-value', 1)).toBe(v1);
    expect(await client.getRegistryIdBySchema('orders-value', { type: SchemaType.AVRO, schema: orderV1 })).toBe(v1);
  });

  it('encodes in the wire format and decodes through /schemas/ids, old data read with a newer reader', async () => {
    const { id: v1 } = await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-value' });
    const bytes = await client.encode(v1, { id: 'o-1', total: 12.5 });
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(v1);
    const fresh = new SchemaRegistry({ host: server.url, retry: { retries: 0 } });
    expect(await fresh.decode(bytes)).toEqual({ id: 'o-1', total: 12.5 });
    expect(await fresh.decode(bytes, { [SchemaType.AVRO]: { readerSchema: JSON.parse(orderV2) } })).toEqual({ id: 'o-1', total: 12.5, currency: 'EUR' });
  });

  it('refuses an incompatible schema with 409 and a message naming the field', async () => {
    const breaking = recordSchema('Order', [
      { name: 'id', type: 'string' },
      { name: 'total', type: 'double' },
      { name: 'seller', type: 'string' },
    ]);
    await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-value' });
    const err = await client.register({ type: SchemaType.AVRO, schema: breaking }, { subject: 'orders-value' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 409 });
    expect((err as Error).message).toMatch(/field 'seller' in the new schema has no default value/);
  });

  it('sets the level the client asks for on the first registration and holds the client to it', async () => {
    await client.register({ type: SchemaType.AVRO, schema: orderV1 }, { subject: 'orders-full-value', compatibility: COMPATIBILITY.FULL });
    expect(await fetch(`${server.url}/config/orders-full-value`).then((r) => r.json())).toEqual({ compatibilityLevel: 'FULL' });
    const err = await client.register({ type: SchemaType.AVRO, schema: orderV2 }, { subject: 'orders-full-value' }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('Compatibility does not match the configuration (BACKWARD != FULL)');
    const ok = await client.register({ type: SchemaType.AVRO, schema: orderV2 }, { subject: 'orders-full-value', compatibility: COMPATIBILITY.FULL });
    expect(await client.getLatestSchemaId('orders-full-value')).toBe(ok.id);
  });

  it('fails to decode an id the registry does not know with 404', async () => {
    const bytes = Buffer.from([0, 0, 0, 0x7f, 0x7f, 2]);
    const err = await new SchemaRegistry({ host: server.url, retry: { retries: 0 } }).decode(bytes).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404 });
    expect((err as Error).message).toMatch(/Schema 32639 not found/);
  });

  it('registers and decodes a schema with a reference to another subject', async () => {
    const address = recordSchema('Address', [{ name: 'city', type: 'string' }], 'shop');
    await client.register({ type: SchemaType.AVRO, schema: address }, { subject: 'address-value' });
    const customer = JSON.stringify({ type: 'record', name: 'Customer', namespace: 'shop', fields: [{ name: 'home', type: 'shop.Address' }] });
    const { id } = await client.register(
      { type: SchemaType.AVRO, schema: customer, references: [{ name: 'shop.Address', subject: 'address-value', version: 1 }] },
      { subject: 'customer-value' },
    );
    const bytes = await client.encode(id, { home: { city: 'Lyon' } });
    const fresh = new SchemaRegistry({ host: server.url, retry: { retries: 0 } });
    expect(await fresh.decode(bytes)).toEqual({ home: { city: 'Lyon' } });
  });
});
