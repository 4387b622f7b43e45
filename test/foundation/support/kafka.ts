import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload } from 'kafkajs';
import { loadConfig } from '../../../deploy/config.ts';

/** Helpers shared by the foundation's Kafka tests: unique names and a client on the local broker. */

/** A name that no other test run or parallel agent uses: `<prefix>-<random hex>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function kafkaClient(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: loadConfig().kafka.brokers, logLevel: logLevel.ERROR });
}

/** Deletes the topics that exist among `topics`; unknown ones are skipped. */
export async function deleteTopicsIfPresent(admin: Admin, topics: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length > 0) await admin.deleteTopics({ topics: present });
}

/** Deletes consumer groups a test made; groups that are gone or still active are left alone. */
export async function deleteGroupsQuietly(admin: Admin, groups: string[]): Promise<void> {
  if (groups.length === 0) return;
  await admin.deleteGroups(groups).catch(() => undefined);
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Consumed {
  partition: number;
  offset: string;
  key: string | null;
  value: string;
}

/**
 * Runs `consumer` on `topic` from the beginning with eachBatch, collecting every message,
 * until `done(collected)` is true, then stops the consumer and returns what it saw.
 */
export async function consumeUntil(
  consumer: Consumer,
  topic: string,
  done: (seen: Consumed[]) => boolean,
  timeoutMs = 120_000,
): Promise<Consumed[]> {
  const seen: Consumed[] = [];
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }: EachBatchPayload) => {
      for (const m of batch.messages) {
        seen.push({ partition: batch.partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value?.toString() ?? '' });
      }
      if (done(seen)) finish();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`consumer on ${topic} saw ${seen.length} messages and timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([finished, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.stop();
  }
  return seen;
}
