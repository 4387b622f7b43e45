import { describe, expect, it } from 'vitest';
import { CoordinatorCache, isStaleCoordinatorError } from '../../../../runtime/task/internal/coordinator-cache.ts';

const TRANSACTION = 1;
const GROUP = 0;

/** A stand-in for a kafkajs broker: answers EndTxn, or fails it with the errors queued. */
class FakeBroker {
  readonly sent: string[] = [];
  constructor(
    readonly nodeId: number,
    private readonly failures: unknown[] = [],
  ) {}

  endTxn(args: { transactionalId: string }): Promise<string> {
    this.sent.push(args.transactionalId);
    const failure = this.failures.shift();
    return failure === undefined ? Promise.resolve(`ended by ${this.nodeId}`) : Promise.reject(failure);
  }
}

/** A stand-in for a kafkajs cluster: counts FindCoordinator lookups, knows some brokers. */
function cluster(brokers: FakeBroker[], coordinator: number) {
  const c = {
    lookups: 0,
    coordinator,
    brokers,
    find: async () => {
      c.lookups++;
      return c.brokers.find((b) => b.nodeId === c.coordinator)!;
    },
    broker: async (nodeId: number) => {
      const b = c.brokers.find((x) => x.nodeId === nodeId);
      if (b === undefined) throw Object.assign(new Error(`broker ${nodeId} not found`), { name: 'KafkaJSBrokerNotFound' });
      return b;
    },
  };
  return c;
}

const lookup = (cache: CoordinatorCache, c: ReturnType<typeof cluster>, groupId: string, coordinatorType: number) => cache.lookup(c, { groupId, coordinatorType }, c.find, c.broker);
const moved = () => Object.assign(new Error('This is not the correct coordinator for this group'), { type: 'NOT_COORDINATOR_FOR_GROUP' });

describe('CoordinatorCache', () => {
  it('looks a transaction coordinator up once per cluster and key', async () => {
    const cache = new CoordinatorCache();
    const a = cluster([new FakeBroker(1), new FakeBroker(2)], 2);
    const b = cluster([new FakeBroker(1), new FakeBroker(2)], 2);
    for (let i = 0; i < 5; i++) expect((await lookup(cache, a, 'app-0_0', TRANSACTION)).nodeId).toBe(2);
    await lookup(cache, a, 'app-0_1', TRANSACTION);
    await lookup(cache, b, 'app-0_0', TRANSACTION);
    expect(a.lookups).toBe(2);
    expect(b.lookups).toBe(1);
  });

  it('caches group coordinators only for clusters that looked up a transaction coordinator', async () => {
    const cache = new CoordinatorCache();
    const consumer = cluster([new FakeBroker(1)], 1);
    for (let i = 0; i < 3; i++) await lookup(cache, consumer, 'app', GROUP);
    expect(consumer.lookups).toBe(3);
    const producer = cluster([new FakeBroker(1)], 1);
    await lookup(cache, producer, 'app-0_0', TRANSACTION);
    for (let i = 0; i < 3; i++) await lookup(cache, producer, 'app', GROUP);
    expect(producer.lookups).toBe(2);
    await lookup(cache, consumer, 'app', GROUP);
    expect(consumer.lookups).toBe(4);
  });

  it('looks up again after forget(), in every cluster holding the key', async () => {
    const cache = new CoordinatorCache();
    const a = cluster([new FakeBroker(1), new FakeBroker(2)], 1);
    const b = cluster([new FakeBroker(1), new FakeBroker(2)], 1);
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
    const c = cluster([new FakeBroker(1), new FakeBroker(2)], 2);
    await lookup(cache, c, 'txn', TRANSACTION);
    c.brokers = c.brokers.slice(0, 1);
    c.coordinator = 1;
    expect((await lookup(cache, c, 'txn', TRANSACTION)).nodeId).toBe(1);
    expect(c.lookups).toBe(2);
  });

  it('sends a request once more to the new coordinator when the remembered one moved', async () => {
    const cache = new CoordinatorCache();
    const old = new FakeBroker(1, [moved()]);
    const next = new FakeBroker(2);
    const c = cluster([old, next], 1);
    const coordinator = (await lookup(cache, c, 'txn', TRANSACTION)) as unknown as FakeBroker;
    c.coordinator = 2;
    expect(coordinator.nodeId).toBe(1);
    await expect(coordinator.endTxn({ transactionalId: 'txn' })).resolves.toBe('ended by 2');
    expect([old.sent, next.sent]).toEqual([['txn'], ['txn']]);
    // and later steps go to the new one without another lookup
    expect((await lookup(cache, c, 'txn', TRANSACTION)).nodeId).toBe(2);
    expect(c.lookups).toBe(2);
  });

  it('forgets a coordinator it cannot reach, without sending again (the request may have been processed)', async () => {
    const cache = new CoordinatorCache();
    const lost = Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' });
    const c = cluster([new FakeBroker(1, [lost])], 1);
    const coordinator = (await lookup(cache, c, 'txn', TRANSACTION)) as unknown as FakeBroker;
    await expect(coordinator.endTxn({ transactionalId: 'txn' })).rejects.toBe(lost);
    await lookup(cache, c, 'txn', TRANSACTION);
    expect(c.lookups).toBe(2);
  });

  it('leaves other errors and the remembered coordinator alone', async () => {
    const cache = new CoordinatorCache();
    const busy = Object.assign(new Error('concurrent'), { type: 'CONCURRENT_TRANSACTIONS' });
    const c = cluster([new FakeBroker(1, [busy])], 1);
    const coordinator = (await lookup(cache, c, 'txn', TRANSACTION)) as unknown as FakeBroker;
    await expect(coordinator.endTxn({ transactionalId: 'txn' })).rejects.toBe(busy);
    await lookup(cache, c, 'txn', TRANSACTION);
    expect(c.lookups).toBe(1);
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
