import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { loadConfig } from '../../../../deploy/config.ts';
import { RegistrySchemaResolver } from '../../../../runtime/index.ts';
import { GOLD_TOPICS, goldMapping } from '../../../../topologies/gold-contract.ts';
import type { PipelineTopicNames } from '../../../../topologies/pipeline-topics.ts';

/** The end-to-end harness: unique names, the seeded input into bronze, worker processes, the outputs read back. */
export const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export function kafkaClient(): Kafka {
  return new Kafka({ clientId: unique('medallion-e2e'), brokers: loadConfig().kafka.brokers, logLevel: logLevel.NOTHING });
}

/** Produces the events in order (the bronze topic has one partition), with lineage headers. */
export async function produceInOrder(kafka: Kafka, topic: string, events: readonly unknown[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < events.length; i += 500) {
    const messages = events.slice(i, i + 500).map((e, j) => ({ key: `seeded-${i + j}`, value: JSON.stringify(e), headers: { 'sh-source': 'seeded', 'sh-producer': 'oracle.it.test', 'sh-ingest-time': String(Date.now()) } }));
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

export interface Worker {
  readonly child: ChildProcess;
  output(): string;
  waitFor(text: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const WORKER = fileURLToPath(new URL('./pipeline-worker.ts', import.meta.url));

export function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}) before "${text}":\n${out}`);
        if (Date.now() > deadline) throw new Error(`worker did not print "${text}" within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

type Row = Record<string, unknown>;
/** Turns a record value of `topic` into its row. */
export type ValueDecoder = (topic: string, value: Buffer) => Row | Promise<Row>;
const jsonValues: ValueDecoder = (_topic, value) => JSON.parse(value.toString()) as Row;

/**
 * Reads the gold topics' Confluent Avro values on its own: checks the framing (magic byte
 * 0, 4-byte big-endian schema id), fetches the writer schema of each id from the registry
 * (lookups only, it registers nothing), decodes the body with avsc and maps the record to
 * the row with the topic's contract mapping. Other topics are JSON. `schemaIds` collects
 * the ids seen per topic.
 */
export function goldAvroValues(registryUrl: string, topics: PipelineTopicNames, currency: string): { decode: ValueDecoder; schemaIds: Map<string, Set<number>> } {
  const resolver = new RegistrySchemaResolver({ url: registryUrl, autoRegister: false });
  const gold = new Map(GOLD_TOPICS.map((k) => [topics[k], goldMapping(k, currency)]));
  const types = new Map<number, Promise<avro.Type>>();
  const schemaIds = new Map<string, Set<number>>();
  const decode: ValueDecoder = async (topic, value) => {
    const mapping = gold.get(topic);
    if (mapping === undefined) return jsonValues(topic, value);
    if (value.length < 5 || value[0] !== 0) throw new Error(`${topic}: value is not Confluent Avro (magic byte ${value[0]})`);
    const id = value.readUInt32BE(1);
    if (!schemaIds.has(topic)) schemaIds.set(topic, new Set());
    schemaIds.get(topic)!.add(id);
    if (!types.has(id)) types.set(id, resolver.schemaFor(id).then((s) => avro.Type.forSchema(s as avro.Schema)));
    const record = (await types.get(id)!).fromBuffer(value.subarray(5)) as Row;
    return mapping.fromRecord(record) as unknown as Row;
  };
  return { decode, schemaIds };
}

/** Reads topics from the beginning (read_committed): the latest value per key, every value in order and the record count of each. */
export class TopicReader {
  readonly latest = new Map<string, Map<string, Record<string, unknown> | null>>();
  readonly values = new Map<string, (Record<string, unknown> | null)[]>();
  readonly counts = new Map<string, number>();
  private changes = 0;
  /** The offset of the last record applied, per topic and partition. */
  private readonly applied = new Map<string, bigint>();
  private consumer: Consumer | undefined;

  constructor(private readonly kafka: Kafka, private readonly topics: string[], private readonly decode: ValueDecoder = jsonValues) {
    for (const t of topics) {
      this.latest.set(t, new Map());
      this.values.set(t, []);
      this.counts.set(t, 0);
    }
  }

  /** Grows with every record read; unchanged between two polls means nothing arrived. */
  get version(): number {
    return this.changes;
  }

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: unique('medallion-e2e-reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        // A record is applied once, whatever the consumer re-delivers: after a rebalance (a
        // loaded machine can miss a heartbeat) it starts again from its last committed offset.
        const partition = `${batch.topic}:${batch.partition}`;
        const after = this.applied.get(partition) ?? -1n;
        const fresh = batch.messages.filter((m) => BigInt(m.offset) > after);
        // Decoded first, applied after: a batch that fails to decode is retried whole, counted once.
        const values: (Row | null)[] = [];
        for (const m of fresh) values.push(m.value === null ? null : await this.decode(batch.topic, m.value));
        if (fresh.length > 0) this.applied.set(partition, BigInt(fresh[fresh.length - 1]!.offset));
        fresh.forEach((m, i) => {
          this.changes++;
          this.counts.set(batch.topic, this.counts.get(batch.topic)! + 1);
          this.latest.get(batch.topic)!.set(m.key?.toString() ?? '', values[i]!);
          this.values.get(batch.topic)!.push(values[i]!);
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
