import { StreamsError } from '../../errors/streams-error.ts';
import type { Headers } from '../../processor/record.ts';
import type { StateStoreContext } from '../../state/state-store.ts';
import type { OutgoingRecord, RecordCollector } from './record-collector.ts';

const NO_HEADERS: Headers = Object.freeze({}) as Headers;

/** Distinct changelog keys held before they are sent anyway (bounds the memory of a long commit interval). */
const MAX_PENDING_CHANGES = 50_000;

interface StateHost {
  readonly applicationId: string;
  readonly taskId: string;
  readonly partition: number;
  currentTimestamp(): number;
}

/**
 * The StateStoreContext a task gives its stores: change-logging writes go to the
 * store's changelog topic, partition = the task's partition, through the task's
 * collector (hence inside its transaction under exactly-once).
 *
 * Changes are coalesced per changelog key until `sendChanges()` (the task calls it when it
 * writes its caches down: at each commit, and after each record in the test driver): a key
 * written N times in between costs one changelog record, its last value, with that write's
 * timestamp. Changelogs are compacted and restored in order, so only the last value per key
 * of a commit can matter: under exactly-once nothing of a transaction is read before its
 * commit, and under at-least-once the input of an unsent change is not committed either, so
 * it is reprocessed. This is what a store cache saves on the changelog, for every store
 * (a processor's store without a cache, a clock key written per record). Keys of window,
 * session and versioned stores carry the window, session or version, so each of those is
 * kept apart.
 */
export class TaskStateContext implements StateStoreContext {
  /** Changelog topic per store name (null: logging off). */
  readonly changelogs = new Map<string, string | null>();

  constructor(
    private readonly host: StateHost,
    readonly stateDir: string,
    private readonly collector: RecordCollector,
  ) {}

  get applicationId(): string {
    return this.host.applicationId;
  }

  get taskId(): string {
    return this.host.taskId;
  }

  get partition(): number {
    return this.host.partition;
  }

  /** Timestamp of the record (or punctuation) being processed. */
  currentTimestamp(): number {
    return this.host.currentTimestamp();
  }

  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number, headers?: Headers): void {
    const topic = this.changelogs.get(storeName);
    if (topic === undefined || topic === null) {
      throw new StreamsError('STORE_NOT_LOGGED', `store ${storeName} of task ${this.host.taskId} has no changelog`, {
        context: { taskId: this.host.taskId, store: storeName },
      });
    }
    const record: OutgoingRecord = { topic, partition: this.host.partition, key, value, timestamp, headers: headers ?? NO_HEADERS };
    const id = key.toString('latin1');
    let byKey = this.pending.get(topic);
    // Deleted first so the key moves to the end: records go out in the order of their last write.
    if (byKey !== undefined && byKey.delete(id)) this.pendingCount--;
    else if (this.pendingCount >= MAX_PENDING_CHANGES) {
      this.sendChanges();
      byKey = undefined;
    }
    if (byKey === undefined) this.pending.set(topic, (byKey = new Map()));
    byKey.set(id, record);
    this.pendingCount++;
  }

  /** Sends the coalesced changes (the last one per changelog key), store by store, in the order of their last write. */
  sendChanges(): void {
    if (this.pendingCount === 0) return;
    const stores = [...this.pending.values()];
    this.pending.clear();
    this.pendingCount = 0;
    for (const byKey of stores) for (const r of byKey.values()) this.collector.send(r);
  }

  /** Forgets the changes not sent (a task closed without committing). */
  dropChanges(): void {
    this.pending.clear();
    this.pendingCount = 0;
  }

  /** Changes not sent yet: changelog topic → key (latin1) → last change. */
  private readonly pending = new Map<string, Map<string, OutgoingRecord>>();
  private pendingCount = 0;
}
