import { StreamsError } from '../../errors/streams-error.ts';
import type { Headers } from '../../processor/record.ts';
import type { StateStoreContext } from '../../state/state-store.ts';
import type { RecordCollector } from './record-collector.ts';

const NO_HEADERS: Headers = Object.freeze({}) as Headers;

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
    this.collector.send({ topic, partition: this.host.partition, key, value, timestamp, headers: headers ?? NO_HEADERS });
  }
}
