import { StoreNotFoundError } from '../../errors/runtime-errors.ts';
import type { Cancellable, Processor, ProcessorContext, PunctuationType } from '../../processor/processor.ts';
import type { RecordMetadata, StreamRecord } from '../../processor/record.ts';
import type { StateStore } from '../../state/state-store.ts';

/** What a node needs from the task that runs it. */
export interface NodeHost {
  readonly applicationId: string;
  readonly taskId: string;
  currentNode: TaskNode | null;
  readonly currentMetadata: RecordMetadata | null;
  readonly streamTime: number;
  systemTime(): number;
  /** The task's store `name` if `connected`, else a global store of that name. */
  store(name: string, connected: boolean): StateStore | undefined;
  schedule(node: TaskNode, intervalMs: number, type: PunctuationType, punctuator: (t: number) => void | Promise<void>): Cancellable;
  /** A child returned a promise: the task awaits it before the next record. */
  defer(promise: Promise<void>, node: TaskNode): void;
  /** Optional per-processor counting hook. */
  readonly onProcess: ((processorName: string) => void) | undefined;
}

/**
 * A processor instance inside one task, with its children and its own context. Forward
 * is depth-first and synchronous: `forward` runs each child (and its descendants)
 * before returning. The host's `currentNode` is set to the child being run and put
 * back after it returns, so that when a processor throws, `currentNode` names it.
 */
export class TaskNode implements ProcessorContext<unknown, unknown> {
  children: TaskNode[] = [];
  private childByName = new Map<string, TaskNode>();

  constructor(
    readonly processorName: string,
    readonly processor: Processor<unknown, unknown, unknown, unknown>,
    private readonly host: NodeHost,
    private readonly stores: ReadonlySet<string>,
  ) {}

  addChild(child: TaskNode): void {
    this.children.push(child);
    this.childByName.set(child.processorName, child);
  }

  get applicationId(): string {
    return this.host.applicationId;
  }

  get taskId(): string {
    return this.host.taskId;
  }

  /** Runs this node's processor on one record. */
  run(record: StreamRecord<unknown, unknown>): void {
    const host = this.host;
    const previous = host.currentNode;
    host.currentNode = this;
    if (host.onProcess !== undefined) host.onProcess(this.processorName);
    const result = this.processor.process(record);
    if (result !== undefined) host.defer(result, this);
    host.currentNode = previous;
  }

  forward(record: StreamRecord<unknown, unknown>, childName?: string): void {
    if (childName !== undefined) {
      const child = this.childByName.get(childName);
      if (child === undefined) throw new TypeError(`${this.processorName} has no child named ${childName}`);
      child.run(record);
      return;
    }
    const children = this.children;
    for (let i = 0; i < children.length; i++) children[i]!.run(record);
  }

  getStateStore<S extends StateStore>(name: string): S {
    const store = this.host.store(name, this.stores.has(name));
    if (store === undefined) {
      throw new StoreNotFoundError(`processor ${this.processorName} is not connected to store ${name}`, {
        context: { taskId: this.host.taskId, processor: this.processorName, store: name },
      });
    }
    return store as S;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: (timestamp: number) => void | Promise<void>): Cancellable {
    return this.host.schedule(this, intervalMs, type, punctuator);
  }

  recordMetadata(): RecordMetadata | null {
    return this.host.currentMetadata;
  }

  currentStreamTimeMs(): number {
    return this.host.streamTime;
  }

  currentSystemTimeMs(): number {
    return this.host.systemTime();
  }
}
