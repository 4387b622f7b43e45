import { describe, expect, it } from 'vitest';
import { CoordinatorCache, isStaleCoordinatorError } from '../../../../runtime/task/internal/coordinator-cache.ts';

const TRANSACTION = 1;
const GROUP = 0;

/** A stand-in for a kafkajs cluster: counts FindCoordinator lookups, knows some node ids. */
function cluster(nodes: number[], coordinator: number) {
  const c = {
    lookups: 0,
    coordinator,
    find: async () => {
      c.lookups++;
      return { nodeId: c.coordinator };
    },
    broker: async (nodeId: number) => {
      if (!nodes.includes(nodeId)) throw Object.assign(new Error(`broker ${nodeId} not found`), { name: 'KafkaJSBrokerNotFound' });
      return { nodeId };
    },
  };
  return c;
}

const lookup = (cache: CoordinatorCache, c: ReturnType<typeof cluster>, groupId: string, coordinatorType: number) => cache.lookup(c, { groupId, coordinatorType }, c.find, c.broker);

describe('CoordinatorCache', () => {
  it('looks a transaction coordinator up once per cluster and key', async () => {
    const cache = new CoordinatorCache();
    const a = cluster([1, 2], 2);
    const b = cluster([1, 2], 2);
    for (let i = 0; i < 5; i++) expect((await lookup(cache, a, 'app-0_0', TRANSACTION)).nodeId).toBe(2);
    await lookup(cache, a, 'app-0_1', TRANSACTION);
    await lookup(cache, b, 'app-0_0', TRANSACTION);
    expect(a.lookups).toBe(2);
    expect(b.lookups).toBe(1);
  });

  it('caches group coordinators only for clusters that looked up a transaction coordinator', async () => {
    const cache = new CoordinatorCache();
    const consumer = cluster([1], 1);
    for (let i = 0; i < 3; i++) await lookup(cache, consumer, 'app', GROUP);
    expect(consumer.lookups).toBe(3);
    const producer = cluster([1], 1);
    await lookup(cache, producer, 'app-0_0', TRANSACTION);
    for (let i = 0; i < 3; i++) await lookup(cache, producer, 'app', GROUP);
    expect(producer.lookups).toBe(2);
    await lookup(cache, consumer, 'app', GROUP);
    expect(consumer.lookups).toBe(4);
  });

  it('looks up again after forget(), in every cluster holding the key', async () => {
    const cache = new CoordinatorCache();
    const a = cluster([1, 2], 1);
    const b = cluster([1, 2], 1);
    for (const c of [a, b]) {
      await lookup(cache, c, `txn-${c === a ? 'a' : 'b'}`, TRANSACTION);
      await lookup(cache, c, 'app', GROUP);
    }
    a.coordinator = 2;
    b.coordinator = 2;
    cache.forget(GROUP, 'app');
    expect((await lookup(cache, a, 'app', GROUP)).nodeId).toBe(2);
    expect((await lookup(cache, b, 'app', GROUP)).nodeId).toBe(2);
    expect((await lookup(cache, a, 'txn-a', TRANSACTION)).nodeId).toBe(1);
    expect([a.lookups, b.lookups]).toEqual([3, 3]);
  });

  it('falls back to a lookup when the remembered broker is gone from the cluster', async () => {
    const cache = new CoordinatorCache();
    const nodes = [1, 2];
    const c = cluster(nodes, 2);
    await lookup(cache, c, 'txn', TRANSACTION);
    nodes.splice(1, 1);
    c.coordinator = 1;
    expect((await lookup(cache, c, 'txn', TRANSACTION)).nodeId).toBe(1);
    expect(c.lookups).toBe(2);
  });

  it('counts coordinator moves and lost connections as stale, other errors not', () => {
    expect(isStaleCoordinatorError({ type: 'NOT_COORDINATOR_FOR_GROUP' })).toBe(true);
    expect(isStaleCoordinatorError({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE' })).toBe(true);
    expect(isStaleCoordinatorError({ name: 'KafkaJSConnectionError' })).toBe(true);
    expect(isStaleCoordinatorError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isStaleCoordinatorError({ type: 'CONCURRENT_TRANSACTIONS' })).toBe(false);
    expect(isStaleCoordinatorError({ type: 'INVALID_PRODUCER_EPOCH' })).toBe(false);
    expect(isStaleCoordinatorError(undefined)).toBe(false);
  });
});
