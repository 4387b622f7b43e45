import type { CompiledTopology } from '../../dsl/internal/compiled-topology.ts';
import type { StateStore } from '../../state/state-store.ts';
import { StreamTask, type StreamTaskOptions } from './stream-task.ts';

/** The global stores of an instance and the tasks that keep them up to date. */
export interface GlobalState {
  /** One task per global subtopology, id `global-<subtopology id>`; feed it every partition of its topic. */
  readonly tasks: readonly StreamTask[];
  /** Global stores by name: pass this map as `globalStores` to every StreamTask. */
  readonly stores: ReadonlyMap<string, StateStore>;
  /** Topic -> task that reads it. */
  readonly taskByTopic: ReadonlyMap<string, StreamTask>;
}

/**
 * Builds and initializes the global tasks of a topology (GlobalKTable and
 * `addGlobalStore`). A global task is an ordinary StreamTask over a global
 * subtopology: it consumes all partitions of its topic (the topic is the store's
 * changelog, so its stores are unlogged) and runs the update processor into the store.
 * The runtime reads each topic to its end before starting the stream tasks, then keeps
 * feeding it; `stateDir(taskId)` gives each task its folder.
 */
export async function createGlobalState(
  compiled: CompiledTopology,
  options: Omit<StreamTaskOptions, 'topology' | 'subtopology' | 'partition' | 'taskId' | 'stateDir' | 'globalStores'>,
  stateDir: (taskId: string) => string,
): Promise<GlobalState> {
  const tasks: StreamTask[] = [];
  const stores = new Map<string, StateStore>();
  const taskByTopic = new Map<string, StreamTask>();
  for (const sub of compiled.globalSubtopologies) {
    const taskId = `global-${sub.id}`;
    const task = new StreamTask({ ...options, topology: compiled, subtopology: sub, partition: 0, taskId, stateDir: stateDir(taskId) });
    await task.init();
    tasks.push(task);
    for (const [name, { store }] of task.stores) stores.set(name, store);
    for (const topic of sub.sourceTopics) taskByTopic.set(topic, task);
  }
  return { tasks, stores, taskByTopic };
}
