import { describe, expect, it } from 'vitest';
import { AvroSerde, InMemorySchemaResolver, SchemaRegistryError, SerdeError, type AvroSchema } from '../../runtime/index.ts';
import { BronzeDecodingSerde } from '../../topologies/bronze-decoding-serde.ts';

const V1: AvroSchema = { type: 'record', name: 'Thing', fields: [{ name: 'id', type: 'string' }] };
const V2: AvroSchema = { type: 'record', name: 'Thing', fields: [{ name: 'id', type: 'string' }, { name: 'n', type: 'int', default: 0 }] };
const TOPIC = 'bronze.things';

/** A registry in memory whose schemaFor fails `outages` times the way a registry that is down does, or answers 404 for `missing` ids. */
class FlakyResolver extends InMemorySchemaResolver {
  lookups = 0;
  constructor(public outages: number, readonly missing = new Set<number>()) {
    super();
  }
  override async schemaFor(id: number): Promise<AvroSchema> {
    this.lookups++;
    if (this.missing.has(id)) throw new SerdeError('DESERIALIZATION_FAILED', `schema id ${id} not found`);
    if (this.outages > 0) {
      this.outages--;
      throw new SchemaRegistryError('registry unreachable', 0, 0);
    }
    return super.schemaFor(id);
  }
}

/** A record written with V2, registered after the reader was prepared. */
async function setUp(resolver: FlakyResolver, retryForMs = 30_000) {
  const serde = new BronzeDecodingSerde(new AvroSerde<{ id: string }>({ schema: V1, resolver }), retryForMs);
  await serde.prepare(TOPIC);
  const writer = new AvroSerde<{ id: string; n: number }>({ schema: V2, resolver });
  await writer.prepare(TOPIC);
  return { serde, bytes: writer.serialize(TOPIC, { id: 'a', n: 7 })! };
}

describe('BronzeDecodingSerde.reload', () => {
  it('retries a registry that is down and then decodes the record', async () => {
    const resolver = new FlakyResolver(0);
    const { serde, bytes } = await setUp(resolver);
    const failed = serde.deserialize(TOPIC, bytes);
    expect(failed.ok).toBe(false);
    resolver.outages = 2;
    const again = await serde.reload(TOPIC, failed as Extract<typeof failed, { ok: false }>);
    expect(again).toMatchObject({ ok: true, value: { id: 'a' } });
  });

  it('fails with the registry error once the outage outlasts retryForMs, instead of dead-lettering', async () => {
    const resolver = new FlakyResolver(0);
    const { serde, bytes } = await setUp(resolver, 250);
    const failed = serde.deserialize(TOPIC, bytes) as Extract<ReturnType<typeof serde.deserialize>, { ok: false }>;
    resolver.outages = 1_000;
    await expect(serde.reload(TOPIC, failed)).rejects.toBeInstanceOf(SchemaRegistryError);
    // Not remembered as unknown: once the registry is back, the same record decodes.
    resolver.outages = 0;
    expect(await serde.reload(TOPIC, serde.deserialize(TOPIC, bytes) as typeof failed)).toMatchObject({ ok: true });
  });

  it('remembers an id the registry does not know: one lookup, then failures without a schema id', async () => {
    const resolver = new FlakyResolver(0);
    const { serde, bytes } = await setUp(resolver);
    const unknown = Buffer.from(bytes);
    unknown.writeUInt32BE(99, 1);
    resolver.missing.add(99);
    const before = resolver.lookups;
    const failed = serde.deserialize(TOPIC, unknown) as Extract<ReturnType<typeof serde.deserialize>, { ok: false }>;
    const again = await serde.reload(TOPIC, failed);
    expect(again.ok).toBe(false);
    expect(resolver.lookups - before).toBe(1);
    expect(serde.deserialize(TOPIC, unknown)).not.toHaveProperty('schemaId');
  });
});
