import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DLQ_HEADERS, Serdes, StreamsBuilder, TopologyTestDriver, silentLogger } from '../../../runtime/index.ts';
import { SerdeError } from '../../../runtime/errors/runtime-errors.ts';
import { AvroSerde } from '../../../runtime/serde/avro-serde.ts';
import { RegistrySchemaResolver, SchemaRegistryError } from '../../../runtime/serde/registry-schema-resolver.ts';
import type { AvroSchema } from '../../../runtime/serde/schema-resolver.ts';
import { startRegistryServer, type RunningRegistry } from '../../../schemas/registry/index.ts';
import { brokers, deleteTopics, http, uniqueTopic } from '../../schemas/registry/registry-harness.ts';

// AvroSerde (Confluent wire format) through the streamhouse registry, checked against
// @kafkajs/confluent-schema-registry as the reference implementation of the format.
const registryTopic = uniqueTopic('serde');
let server: RunningRegistry;
let client: SchemaRegistry;

type Field = { name: string; type: string; default?: string };
const click = (...extra: Field[]): AvroSchema => ({ type: 'record', name: 'Click', namespace: 'test', fields: [{ name: 'page', type: 'string' }, ...extra] });
const clickV1 = click();
const clickV2 = click({ name: 'device', type: 'string', default: 'web' });

beforeAll(async () => {
  server = await startRegistryServer({ brokers, topic: registryTopic, port: 0 });
  client = new SchemaRegistry({ host: server.url, retry: { retries: 0 } });
});

afterAll(async () => {
  await server?.close();
  await deleteTopics([registryTopic]);
});

describe('AvroSerde with RegistrySchemaResolver', () => {
  it('registers in prepare and writes the wire format that Confluent clients decode', async () => {
    const serde = new AvroSerde<{ page: string }>({ schema: clickV1, resolver: new RegistrySchemaResolver({ url: server.url }) });
    await serde.prepare('clicks-a');
    const bytes = serde.serialize('clicks-a', { page: '/home' })!;
    const id = (await http(server.url, 'GET', '/subjects/clicks-a-value/versions/latest')).body.id;
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(id);
    expect(await client.decode(bytes)).toEqual({ page: '/home' });
    expect(serde.deserialize('clicks-a', bytes)).toEqual({ page: '/home' });
  });

  it('reads records a Confluent client wrote with an older version of the subject', async () => {
    const { id: oldId } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(clickV1) }, { subject: 'clicks-b-value' });
    const old = await client.encode(oldId, { page: '/cart' });
    const serde = new AvroSerde<{ page: string; device: string }>({ schema: clickV2, resolver: new RegistrySchemaResolver({ url: server.url }) });
    await serde.prepare('clicks-b');
    expect(serde.deserialize('clicks-b', old)).toEqual({ page: '/cart', device: 'web' });
    expect(serde.serialize('clicks-b', { page: '/x', device: 'ios' })!.readUInt32BE(1)).not.toBe(oldId);
  });

  it('still reads records written with a version that was soft-deleted since', async () => {
    const { id: oldId } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(clickV1) }, { subject: 'clicks-g-value' });
    const old = await client.encode(oldId, { page: '/gone' });
    await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(clickV2) }, { subject: 'clicks-g-value' });
    expect((await http(server.url, 'DELETE', '/subjects/clicks-g-value/versions/1')).body).toBe(1);
    const serde = new AvroSerde<{ page: string; device: string }>({ schema: clickV2, resolver: new RegistrySchemaResolver({ url: server.url }) });
    await serde.prepare('clicks-g');
    expect(serde.deserialize('clicks-g', old)).toEqual({ page: '/gone', device: 'web' });
  });

  it('fails an unknown id with DESERIALIZATION_FAILED, so the record can go to the dead-letter topic', async () => {
    const resolver = new RegistrySchemaResolver({ url: server.url });
    const err = await resolver.schemaFor(987_654).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerdeError);
    expect(err).toMatchObject({ code: 'DESERIALIZATION_FAILED', message: `schema id 987654 is not known to the schema registry at ${server.url}` });
    const serde = new AvroSerde({ schema: clickV1, resolver });
    await serde.prepare('clicks-c');
    const foreign = Buffer.from([0, 0, 0x0f, 0x12, 0x06, 2, 0x41]);
    expect(() => serde.deserialize('clicks-c', foreign)).toThrow(SerdeError);
  });

  it('refuses an incompatible schema in prepare with the registry\'s 40901, not retriable', async () => {
    await new AvroSerde({ schema: clickV1, resolver: new RegistrySchemaResolver({ url: server.url }) }).prepare('clicks-d');
    const breaking = click({ name: 'user', type: 'long' });
    const err = await new AvroSerde({ schema: breaking, resolver: new RegistrySchemaResolver({ url: server.url }) }).prepare('clicks-d').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect(err).toMatchObject({ code: 'SCHEMA_REGISTRY_FAILED', status: 409, errorCode: 40901, retriable: false });
    expect((err as Error).message).toMatch(/field 'user'/);
  });

  it('reports an unreachable registry as a retriable SchemaRegistryError', async () => {
    const err = await new RegistrySchemaResolver({ url: 'http://127.0.0.1:1', timeoutMs: 2000 }).schemaFor(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect(err).toMatchObject({ code: 'SCHEMA_REGISTRY_FAILED', retriable: true });
  });

  it('looks up without registering when autoRegister is false', async () => {
    const err = await new RegistrySchemaResolver({ url: server.url, autoRegister: false }).idFor('clicks-e-value', clickV1).catch((e: unknown) => e);
    expect(err).toMatchObject({ errorCode: 40401 });
    const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(clickV1) }, { subject: 'clicks-e-value' });
    expect(await new RegistrySchemaResolver({ url: server.url, autoRegister: false }).idFor('clicks-e-value', clickV1)).toBe(id);
  });

  it('caches: a second ask for an id or a subject schema makes no request', async () => {
    const resolver = new RegistrySchemaResolver({ url: server.url });
    const id = await resolver.idFor('clicks-f-value', clickV1);
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      await resolver.schemaFor(id);
      const calls = spy.mock.calls.length;
      expect(calls).toBe(1);
      await Promise.all([resolver.schemaFor(id), resolver.idFor('clicks-f-value', clickV1)]);
      expect(spy.mock.calls.length).toBe(calls);
    } finally {
      spy.mockRestore();
    }
  });

  it('returns a schema with references self-contained', async () => {
    const address = { type: 'record', name: 'Address', namespace: 'shop', fields: [{ name: 'city', type: 'string' }] };
    await http(server.url, 'POST', '/subjects/addr-ref/versions', { schema: JSON.stringify(address) });
    const customer = { type: 'record', name: 'Customer', namespace: 'shop', fields: [{ name: 'home', type: 'shop.Address' }] };
    const { body } = await http(server.url, 'POST', '/subjects/customer-ref/versions', {
      schema: JSON.stringify(customer),
      references: [{ name: 'shop.Address', subject: 'addr-ref', version: 1 }],
    });
    const schema = await new RegistrySchemaResolver({ url: server.url }).schemaFor(body.id);
    const bytes = await client.encode(body.id, { home: { city: 'Lyon' } });
    expect(avro.Type.forSchema(schema as avro.Schema).fromBuffer(bytes.subarray(5))).toEqual({ home: { city: 'Lyon' } });
  });
});

describe('records the registry cannot decode go to the dead-letter topic with a reason', () => {
  it('unknown id, bad magic byte and an undecodable payload are dead-lettered; good records flow', async () => {
    const { id: oldId } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(clickV1) }, { subject: 'dlq-clicks-value' });
    const serde = new AvroSerde<{ page: string; device: string }>({ schema: clickV2, resolver: new RegistrySchemaResolver({ url: server.url }) });
    const builder = new StreamsBuilder();
    builder
      .stream('dlq-clicks', { keySerde: Serdes.String(), valueSerde: serde })
      .mapValues((v) => `${v.page}@${v.device}`)
      .to('dlq-pages', { valueSerde: Serdes.String() });
    const driver = await TopologyTestDriver.create(builder.build(), { logger: silentLogger });
    try {
      const input = driver.createInputTopic('dlq-clicks', Serdes.String(), serde);
      await input.pipeInput('k1', { page: '/a', device: 'ios' }, 1);
      await input.pipeRaw(Buffer.from('k2'), await client.encode(oldId, { page: '/old' }), 2);
      const unknownId = Buffer.from([0, 0, 0x0f, 0x42, 0x3f, 2, 0x41]);
      await input.pipeRaw(Buffer.from('k3'), unknownId, 3);
      await input.pipeRaw(Buffer.from('k4'), Buffer.from('{"page":"/json"}'), 4);
      const truncated = Buffer.concat([(await client.encode(oldId, { page: '/long-page-name' })).subarray(0, 8)]);
      await input.pipeRaw(Buffer.from('k5'), truncated, 5);

      expect(driver.createOutputTopic('dlq-pages', Serdes.String(), Serdes.String()).readValuesToList()).toEqual(['/a@ios', '/old@web']);
      const dead = driver.createOutputTopic(driver.deadLetterTopic, Serdes.Bytes(), Serdes.Bytes()).readRecordsToList();
      expect(dead.map((r) => r.key.toString())).toEqual(['k3', 'k4', 'k5']);
      const reasons = dead.map((r) => String(r.headers[DLQ_HEADERS.errorMessage]));
      expect(reasons[0]).toMatch(/schema id 999999 on dlq-clicks was not prepared/);
      expect(reasons[1]).toMatch(/not Confluent Avro on dlq-clicks/);
      expect(reasons[2]).toMatch(/truncated/); // avsc's own message: AvroSerde passes payload errors through
      expect(dead.map((r) => r.value)).toEqual([unknownId, Buffer.from('{"page":"/json"}'), truncated]);
    } finally {
      await driver.close();
    }
  });
});
