import { createRequire } from 'node:module';

/**
 * Remembers the coordinators of transactional producers, as the Java producer does.
 *
 * kafkajs 2.2.4 sends a FindCoordinator request before every step of a transaction
 * (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn): four extra round trips per
 * task commit, about 40 % of the requests an exactly-once application sends (measured:
 * 180 of 480 requests/s at 1,000 events/s). With this cache a producer looks its
 * transaction coordinator and its group's coordinator up once, and again only after a
 * request to them fails with a coordinator or connection error, the answers after which
 * the Java client looks up again (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a lost
 * connection). The retries of kafkajs and the task's recovery then find the new one.
 *
 * Scope:
 * - Per kafkajs cluster (each producer has its own), so a recreated producer starts afresh.
 * - Transaction coordinators always; group coordinators only on clusters that have looked
 *   up a transaction coordinator (transactional producers, for `sendOffsets`). Consumers'
 *   clusters are left alone: their group membership handles coordinator moves itself.
 * - Installed on kafkajs' Cluster and Broker prototypes, only for the kafkajs version whose
 *   internals this was written against; any other version runs unpatched.
 */

/** The kafkajs version whose Cluster and Broker internals the cache wraps. */
const KAFKAJS_VERSION = '2.2.4';
const TRANSACTION = 1;
const GROUP = 0;

/** Errors after which a coordinator is looked up again: it moved, or its broker is gone. */
const STALE_TYPES = new Set(['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);
const STALE_NAMES = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound']);

export function isStaleCoordinatorError(err: unknown): boolean {
  const e = err as { type?: unknown; name?: unknown; code?: unknown } | null | undefined;
  return STALE_TYPES.has(String(e?.type)) || STALE_NAMES.has(String(e?.name)) || e?.code === 'ECONNREFUSED';
}

interface CoordinatorLookup {
  groupId: string;
  coordinatorType?: number;
}

/** The node id of each coordinator a cluster found, by coordinator type and key. */
export class CoordinatorCache {
  private readonly byCluster = new WeakMap<object, Map<string, number>>();
  private readonly transactional = new WeakSet<object>();
  /** Clusters holding an entry per key, so that a failed request can forget it wherever it is. */
  private readonly holders = new Map<string, WeakRef<Map<string, number>>[]>();

  /**
   * The broker of a coordinator: the remembered node when there is one (and the cluster still
   * knows it), else `find()`'s answer, remembered when this lookup is cacheable.
   */
  async lookup<B extends { nodeId: number }>(cluster: object, { groupId, coordinatorType = GROUP }: CoordinatorLookup, find: () => Promise<B>, broker: (nodeId: number) => Promise<B>): Promise<B> {
    if (coordinatorType === TRANSACTION) this.transactional.add(cluster);
    else if (coordinatorType !== GROUP || !this.transactional.has(cluster)) return find();
    const key = `${coordinatorType}:${groupId}`;
    const entries = this.byCluster.get(cluster) ?? this.byCluster.set(cluster, new Map()).get(cluster)!;
    const nodeId = entries.get(key);
    if (nodeId !== undefined) {
      try {
        return await broker(nodeId);
      } catch {
        entries.delete(key);
      }
    }
    const found = await find();
    entries.set(key, found.nodeId);
    const live = (this.holders.get(key) ?? []).filter((ref) => ref.deref() !== undefined && ref.deref() !== entries);
    this.holders.set(key, [...live, new WeakRef(entries)]);
    return found;
  }

  /** Forgets the coordinator of `groupId` (a transactional id or a group id), in every cluster. */
  forget(coordinatorType: number, groupId: string): void {
    const key = `${coordinatorType}:${groupId}`;
    for (const ref of this.holders.get(key) ?? []) ref.deref()?.delete(key);
    this.holders.delete(key);
  }
}

type AsyncMethod = (this: object, args: Record<string, unknown>) => Promise<unknown>;

let installed: CoordinatorCache | undefined;

/** Installs the cache once per process; returns it, or undefined on another kafkajs version. */
export function installCoordinatorCache(): CoordinatorCache | undefined {
  if (installed !== undefined) return installed;
  const require = createRequire(import.meta.url);
  if ((require('kafkajs/package.json') as { version: string }).version !== KAFKAJS_VERSION) return undefined;
  const Cluster = require('kafkajs/src/cluster/index.js') as { prototype: Record<string, AsyncMethod> };
  const Broker = require('kafkajs/src/broker/index.js') as { prototype: Record<string, AsyncMethod> };
  const cache = new CoordinatorCache();

  const find = Cluster.prototype.findGroupCoordinator!;
  const findBroker = Cluster.prototype.findBroker!;
  Cluster.prototype.findGroupCoordinator = function (this: object, args: Record<string, unknown>) {
    return cache.lookup(
      this,
      args as unknown as CoordinatorLookup,
      () => find.call(this, args) as Promise<{ nodeId: number }>,
      (nodeId) => findBroker.call(this, { nodeId }) as Promise<{ nodeId: number }>,
    );
  };
  // Requests to a transaction coordinator name the transactional id; TxnOffsetCommit goes to the group's.
  const forgetOnStale = (method: string, type: number, keyOf: (args: Record<string, unknown>) => unknown) => {
    const original = Broker.prototype[method]!;
    Broker.prototype[method] = async function (this: object, args: Record<string, unknown>) {
      try {
        return await original.call(this, args);
      } catch (err) {
        if (isStaleCoordinatorError(err)) cache.forget(type, String(keyOf(args)));
        throw err;
      }
    };
  };
  for (const method of ['initProducerId', 'addPartitionsToTxn', 'addOffsetsToTxn', 'endTxn']) forgetOnStale(method, TRANSACTION, (a) => a.transactionalId);
  forgetOnStale('txnOffsetCommit', GROUP, (a) => a.groupId);
  installed = cache;
  return cache;
}
