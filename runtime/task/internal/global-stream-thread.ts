import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { StateStore } from '../../state/state-store.ts';
import type { GlobalState } from './global-state.ts';
import type { RawRecord } from './record-collector.ts';
import type { StreamTask } from './stream-task.ts';
import { watermarks } from './task-restorer.ts';

/**
 * Keeps the global stores (GlobalKTable, `addGlobalStore`) of one instance up to date.
 * Every instance reads every partition of every global topic: kafkajs has no `assign()`,
 * so the reader is the only member of its own group (`<application.id>-global-<instance>`)
 * and never commits (the instance deletes the group at close, private-groups.ts); the
 * stores are rebuilt from the start of the topics at each start.
 * `start()` resolves once every partition has been read up to the end offsets it found
 * when it began (the bootstrap, before any stream task runs); records keep flowing in
 * afterwards. Records of one partition are applied in offset order; read committed only.
 */
export class GlobalStreamThread {
  private readonly consumer: Consumer;
  private readonly positions = new Map<string, bigint>();
  private ends = new Map<string, bigint>();
  private bootstrapped: (() => void) | undefined;

  constructor(
    kafka: Kafka,
    groupId: string,
    private readonly admin: Admin,
    private readonly state: GlobalState,
  ) {
    this.consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  }

  get stores(): ReadonlyMap<string, StateStore> {
    return this.state.stores;
  }

  async start(): Promise<void> {
    const topics = [...this.state.taskByTopic.keys()];
    if (topics.length === 0) return;
    const marks = await watermarks(this.admin, topics);
    for (const [key, { low, high }] of marks) {
      this.positions.set(key, low);
      this.ends.set(key, high);
    }
    const done = new Promise<void>((resolve) => (this.bootstrapped = resolve));
    const c = this.consumer;
    c.on(c.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}:${payload.partition}`;
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > (this.positions.get(key) ?? 0n)) this.positions.set(key, next);
      this.checkBootstrap();
    });
    await c.connect();
    await c.subscribe({ topics, fromBeginning: true });
    await c.run({ autoCommit: false, eachBatch: (payload) => this.apply(payload) });
    this.checkBootstrap();
    await done;
  }

  async close(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    for (const task of this.state.tasks) await task.close().catch(() => undefined);
  }

  private async apply({ batch }: EachBatchPayload): Promise<void> {
    const task: StreamTask | undefined = this.state.taskByTopic.get(batch.topic);
    if (!task) return;
    for (const m of batch.messages) {
      const raw: RawRecord = {
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        timestamp: Number(m.timestamp),
        headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
      };
      const pending = task.process(raw);
      if (pending !== undefined) await pending;
    }
    await task.commit();
  }

  private checkBootstrap(): void {
    if (!this.bootstrapped) return;
    for (const [key, end] of this.ends) if ((this.positions.get(key) ?? 0n) < end) return;
    this.bootstrapped();
    this.bootstrapped = undefined;
  }
}
