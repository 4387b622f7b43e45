import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../deploy/config.ts';
import { restoreAll, type RestoreRecord } from '../../../runtime/state/batch-restore.ts';
import { CheckpointFile, checkpointKey } from '../../../runtime/state/checkpoint-file.ts';
import { decorateKeyValueBytesStore } from '../../../runtime/state/key-value-store-stack.ts';
import { LevelKeyValueStore } from '../../../runtime/state/level-key-value-store.ts';
import type { KeyValueStore } from '../../../runtime/state/state-store.ts';
import { collect, RecordingContext, tempStateDir } from './store-test-context.ts';

// A logged, cached LevelDB store writes its changelog to a real compacted topic; fresh
// stores restore from it in full, and a reopened one replays only the tail after its
// checkpoint. The changelog bytes go through the broker exactly as the runtime sends them.

const kafka = new Kafka({ clientId: 'state-it', brokers: loadConfig().kafka.brokers, logLevel: logLevel.NOTHING });
const topic = `state-it-${randomBytes(4).toString('hex')}-counts-changelog`;
let admin: Admin;
const dirs: Array<() => Promise<void>> = [];

async function produce(context: RecordingContext): Promise<bigint> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const messages = context.rawChanges.splice(0).map((c) => ({ key: c.key, value: c.value, timestamp: String(c.timestamp), partition: 0 }));
  for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, messages: messages.slice(i, i + 500) });
  await producer.disconnect();
  const [p] = await admin.fetchTopicOffsets(topic);
  return BigInt(p!.high);
}

/** The changelog records in [from, to), in batches as a restore consumer polls them. */
async function read(from: bigint, to: bigint): Promise<RestoreRecord[][]> {
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${randomBytes(3).toString('hex')}`, readUncommitted: false });
  const batches: RestoreRecord[][] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const records = batch.messages.filter((m) => BigInt(m.offset) >= from && BigInt(m.offset) < to).map((m) => ({ key: m.key!, value: m.value }));
        if (records.length > 0) batches.push(records);
        if (BigInt(batch.lastOffset()) + 1n >= to) resolve();
      },
    });
  });
  consumer.seek({ topic, partition: 0, offset: from.toString() });
  await done;
  await consumer.disconnect();
  return batches;
}

async function openStore(dir: string, context = new RecordingContext(dir)): Promise<KeyValueStore<Buffer, Buffer>> {
  const store = decorateKeyValueBytesStore(new LevelKeyValueStore('counts'), { caching: { maxBytes: 64 * 1024 } });
  await store.init(context);
  return store;
}

/** One commit interval of updates: counts up keys, deletes every 7th touched key. */
async function commit(store: KeyValueStore<Buffer, Buffer>, model: Map<string, string>, seed: number, context: RecordingContext): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const key = `key-${(i * 7919 + seed * 104729) % 2000}`;
    context.time = 1_700_000_000_000 + seed * 10_000 + i;
    if (i % 7 === 0) {
      store.delete(Buffer.from(key));
      model.delete(key);
    } else {
      const next = String(Number(store.get(Buffer.from(key))?.toString() ?? '0') + 1);
      store.put(Buffer.from(key), Buffer.from(next));
      model.set(key, next);
    }
  }
  await store.flush();
}

const sorted = (model: Map<string, string>) => [...model].sort(([a], [b]) => (a < b ? -1 : 1));

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  for (const cleanup of dirs) await cleanup();
});

describe('changelog restore through Kafka', () => {
  it('restores in full from the topic, and from the checkpoint only the tail', async () => {
    const a = await tempStateDir();
    const b = await tempStateDir();
    dirs.push(a.cleanup, b.cleanup);
    const model = new Map<string, string>();

    // instance A: two commits, then a clean close with a checkpoint
    const contextA = new RecordingContext(a.dir);
    const storeA = await openStore(a.dir, contextA);
    await commit(storeA, model, 1, contextA);
    await produce(contextA);
    await commit(storeA, model, 2, contextA);
    const checkpointed = await produce(contextA);
    await storeA.close();
    await new CheckpointFile(a.dir).write(new Map([[checkpointKey(topic, 0), checkpointed]]));
    const afterTwo = sorted(model);

    // instance B: empty, restores everything, then commits once more
    const contextB = new RecordingContext(b.dir);
    const storeB = await openStore(b.dir, contextB);
    expect(await restoreAll(storeB, await read(0n, checkpointed))).toBeGreaterThan(0);
    expect(await collect(storeB.all())).toEqual(afterTwo);
    await commit(storeB, model, 3, contextB);
    const tailRecords = contextB.rawChanges.length;
    const end = await produce(contextB);
    await storeB.close();

    // instance A again: replays only what B logged after A's checkpoint
    const offsets = await new CheckpointFile(a.dir).read();
    const from = offsets!.get(checkpointKey(topic, 0))!;
    expect(from).toBe(checkpointed);
    const reopened = await openStore(a.dir);
    expect(await collect(reopened.all())).toEqual(afterTwo);
    expect(await restoreAll(reopened, await read(from, end))).toBe(tailRecords);
    expect(await collect(reopened.all())).toEqual(sorted(model));
    expect(reopened.approximateNumEntries()).toBe(model.size);
    await reopened.close();
  });
});
