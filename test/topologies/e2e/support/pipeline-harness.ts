import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { loadConfig } from '../../../../deploy/config.ts';

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

/** Reads topics from the beginning (read_committed): the latest value per key and the record count of each. */
export class TopicReader {
  readonly latest = new Map<string, Map<string, Record<string, unknown> | null>>();
  readonly counts = new Map<string, number>();
  private changes = 0;
  private consumer: Consumer | undefined;

  constructor(private readonly kafka: Kafka, private readonly topics: string[]) {
    for (const t of topics) {
      this.latest.set(t, new Map());
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
        for (const m of batch.messages) {
          this.changes++;
          this.counts.set(batch.topic, this.counts.get(batch.topic)! + 1);
          const key = m.key?.toString() ?? '';
          this.latest.get(batch.topic)!.set(key, m.value === null ? null : (JSON.parse(m.value.toString()) as Record<string, unknown>));
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
