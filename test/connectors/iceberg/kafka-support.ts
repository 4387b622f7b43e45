import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadConfig } from '../../../deploy/config.ts';

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
export const kafka = () => new Kafka({ clientId: 'lake-it', brokers: loadConfig().kafka.brokers, logLevel: logLevel.NOTHING });

/** Creates topics and waits until every partition has a leader. */
export async function createTopics(admin: Admin, topics: string[], partitions: number): Promise<void> {
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions })) });
  for (let attempt = 0; ; attempt++) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      if (meta.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (attempt > 100) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Produces JSON values `make(i)` for i in [from, to), keyed by `key(i)` (default i), in batches. */
export async function produceJson(k: Kafka, topic: string, from: number, to: number, make: (i: number) => unknown, batch = 5000, key: (i: number) => string = String): Promise<void> {
  const producer = k.producer({ idempotent: true });
  await producer.connect();
  try {
    for (let start = from; start < to; start += batch) {
      const messages = [];
      for (let i = start; i < Math.min(to, start + batch); i++) messages.push({ key: key(i), value: JSON.stringify(make(i)) });
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
