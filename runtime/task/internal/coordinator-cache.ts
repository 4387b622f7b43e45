import { createRequire } from 'node:module';
import { installedKafkajsVersion, PATCHED_KAFKAJS_VERSION } from './kafkajs-version.ts';

/**
 * Remembers the coordinators of transactional producers, as the Java producer does.
 *
 * kafkajs 2.2.4 sends a FindCoordinator request before every step of a transaction
 * (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn): four extra round trips per
 * task commit, about 40 % of the requests an exactly-once application sends (measured:
 * 180 of 480 requests/s at 1,000 events/s). With this cache a producer looks its
 * transaction coordinator and its group's coordinator up once, and again only after a
 * request to them fails with a coordinator or connection error.
 *
 * What a failed request does, as in the Java client:
 * - the coordinator moved (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE: the request was not
 *   processed): the coordinator is looked up again and the request sent once more to it;
 *   kafkajs does not retry AddOffsetsToTxn, TxnOffsetCommit or EndTxn on these itself, and
 *   without the resend a moved coordinator would fail the next commit of every task;
 * - the connection failed (the request may have been processed): the coordinator is
 *   forgotten and the error goes up as it is (kafkajs retries, or the task recovers).
 *
 * Scope:
 * - Per kafkajs cluster (each producer has its own), so a recreated producer starts afresh.
 * - Transaction coordinators always; group coordinators only on clusters that have looked
 *   up a transaction coordinator (transactional producers, for `sendOffsets`). Consumers'
 *   clusters are left alone: their group membership handles coordinator moves itself.
 * - Installed on kafkajs' Cluster prototype, only for the kafkajs version whose internals
 *   this was written against; any other version runs unpatched.
 */

const TRANSACTION = 1;
const GROUP = 0;

/** The requests a producer sends to its coordinators (kafkajs Broker methods). */
const COORDINATOR_REQUESTS = ['initProducerId', 'addPartitionsToTxn', 'addOffsetsToTxn', 'txnOffsetCommit', 'endTxn'] as const;

/** Answers of a coordinator that is not (or no longer) one: the request was not processed. (kafkajs names codes 15 and 16 after groups.) */
const MOVED_TYPES = new Set(['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);
const CONNECTION_NAMES = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound']);

/** The coordinator moved: the request was not processed and may be sent to the new one. */
export function coordinatorMoved(err: unknown): boolean {
  return MOVED_TYPES.has(String((err as { type?: unknown } | null | undefined)?.type));
}

/** The coordinator moved or could not be reached: look it up again. */
export function isStaleCoordinatorError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | null | undefined;
  return coordinatorMoved(err) || CONNECTION_NAMES.has(String(e?.name)) || e?.code === 'ECONNREFUSED';
}

interface CoordinatorLookup {
  groupId: string;
  coordinatorType?: number;
}

type Request = (args: unknown) => Promise<unknown>;
/** A kafkajs Broker as far as the cache uses it. */
export interface CoordinatorBroker {
  readonly nodeId: number;
}

/** The node id of each coordinator a cluster found, by coordinator type and key. */
export class CoordinatorCache {
  private readonly byCluster = new WeakMap<object, Map<string, number>>();
  private readonly transactional = new WeakSet<object>();
  /** Clusters holding an entry per key, so that a failed request can forget it wherever it is. */
  private readonly holders = new Map<string, WeakRef<Map<string, number>>[]>();

  /**
   * The broker of a coordinator: the remembered node when there is one (and the cluster still
   * knows it), else `find()`'s answer, remembered when this lookup is cacheable. A remembered
   * coordinator comes guarded: its requests forget it when they fail as stale, and are sent
   * once more to a coordinator found again when it moved.
   */
  async lookup<B extends CoordinatorBroker>(cluster: object, { groupId, coordinatorType = GROUP }: CoordinatorLookup, find: () => Promise<B>, broker: (nodeId: number) => Promise<B>): Promise<B> {
    if (coordinatorType === TRANSACTION) this.transactional.add(cluster);
    else if (coordinatorType !== GROUP || !this.transactional.has(cluster)) return find();
    const key = `${coordinatorType}:${groupId}`;
    const entries = this.byCluster.get(cluster) ?? this.byCluster.set(cluster, new Map()).get(cluster)!;
    const findAndRemember = async () => {
      const found = await find();
      entries.set(key, found.nodeId);
      const live = (this.holders.get(key) ?? []).filter((ref) => ref.deref() !== undefined && ref.deref() !== entries);
      this.holders.set(key, [...live, new WeakRef(entries)]);
      return found;
    };
    const remembered = async (): Promise<B | undefined> => {
      const nodeId = entries.get(key);
      if (nodeId === undefined) return undefined;
      try {
        return await broker(nodeId);
      } catch {
        entries.delete(key);
        return undefined;
      }
    };
    const coordinator = (await remembered()) ?? (await findAndRemember());
    return this.guarded(coordinator, () => this.forget(coordinatorType, groupId), findAndRemember);
  }

  /** Forgets the coordinator of `groupId` (a transactional id or a group id), in every cluster. */
  forget(coordinatorType: number, groupId: string): void {
    const key = `${coordinatorType}:${groupId}`;
    for (const ref of this.holders.get(key) ?? []) ref.deref()?.delete(key);
    this.holders.delete(key);
  }

  /** The broker, with its coordinator requests wrapped (the rest read through to it). */
  private guarded<B extends CoordinatorBroker>(target: B, forget: () => void, findAgain: () => Promise<B>): B {
    const guard = Object.create(target) as Record<string, Request>;
    const requests = target as unknown as Record<string, Request | undefined>;
    for (const name of COORDINATOR_REQUESTS) {
      const request = requests[name];
      if (typeof request !== 'function') continue;
      guard[name] = async (args) => {
        try {
          return await request.call(target, args);
        } catch (err) {
          if (!isStaleCoordinatorError(err)) throw err;
          forget();
          if (!coordinatorMoved(err)) throw err;
          const moved = (await findAgain()) as unknown as Record<string, Request>;
          return moved[name]!.call(moved, args);
        }
      };
    }
    return guard as unknown as B;
  }
}

type Lookup = (this: object, args: CoordinatorLookup) => Promise<CoordinatorBroker>;

let installed: CoordinatorCache | undefined;

/** Installs the cache once per process; returns it, or undefined on another kafkajs version. */
export function installCoordinatorCache(): CoordinatorCache | undefined {
  if (installed !== undefined) return installed;
  if (installedKafkajsVersion() !== PATCHED_KAFKAJS_VERSION) return undefined;
  const require = createRequire(import.meta.url);
  const Cluster = require('kafkajs/src/cluster/index.js') as { prototype: { findGroupCoordinator: Lookup; findBroker: (this: object, args: { nodeId: number }) => Promise<CoordinatorBroker> } };
  const cache = new CoordinatorCache();
  const find = Cluster.prototype.findGroupCoordinator;
  const findBroker = Cluster.prototype.findBroker;
  Cluster.prototype.findGroupCoordinator = function (this: object, args: CoordinatorLookup) {
    return cache.lookup(
      this,
      args,
      () => find.call(this, args),
      (nodeId) => findBroker.call(this, { nodeId }),
    );
  };
  installed = cache;
  return cache;
}
