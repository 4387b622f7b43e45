import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../runtime/errors/logger.ts';
import { RepartitionPurger } from '../../../../runtime/task/internal/repartition-purge.ts';

/** The one Admin call the purger makes, recorded; it fails while `failing` is set. */
function fakeAdmin() {
  const calls: string[] = [];
  const state = { failing: false };
  const admin = {
    deleteTopicRecords: async ({ topic, partitions }: { topic: string; partitions: { partition: number; offset: string }[] }) => {
      calls.push(`${topic} ${partitions.map((p) => `${p.partition}@${p.offset}`).join(',')}`);
      if (state.failing) throw new Error('broker unavailable');
    },
  } as unknown as Admin;
  return { admin, calls, state };
}

const task = (partition: number, committed: Record<string, string>) => ({ partition, committed: new Map(Object.entries(committed)) });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('RepartitionPurger', () => {
  it('purges only repartition topics, only after the interval, and only offsets that moved', async () => {
    const { admin, calls } = fakeAdmin();
    const purger = new RepartitionPurger(admin, new Set(['app-x-repartition']), 1000, 0, silentLogger);
    const tasks = [task(0, { 'app-x-repartition': '10', input: '99' }), task(1, { 'app-x-repartition': '4' })];
    purger.maybePurge(999, tasks);
    await purger.drain();
    expect(calls).toEqual([]);
    purger.maybePurge(1000, tasks);
    await purger.drain();
    expect(calls).toEqual(['app-x-repartition 0@10,1@4']);
    purger.maybePurge(2000, [task(0, { 'app-x-repartition': '10' }), task(1, { 'app-x-repartition': '7' })]);
    await purger.drain();
    expect(calls[1]).toBe('app-x-repartition 1@7');
  });

  it('after a failed purge the same offsets are sent again at the next interval', async () => {
    const { admin, calls, state } = fakeAdmin();
    const purger = new RepartitionPurger(admin, new Set(['r']), 100, 0, silentLogger);
    state.failing = true;
    purger.maybePurge(100, [task(0, { r: '5' })]);
    await purger.drain();
    await settle();
    state.failing = false;
    purger.maybePurge(200, [task(0, { r: '5' })]);
    await purger.drain();
    purger.maybePurge(300, [task(0, { r: '5' })]);
    await purger.drain();
    expect(calls).toEqual(['r 0@5', 'r 0@5']);
  });
});
