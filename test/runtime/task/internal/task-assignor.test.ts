import fc from 'fast-check';
import { AssignerProtocol, type Cluster } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { balance, taskAssignor } from '../../../../runtime/task/internal/task-assignor.ts';

describe('balance', () => {
  it('gives each member floor or ceil of tasks / members, every task exactly once, keeping previous owners', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }), (n, m, owners) => {
        const tasks = Array.from({ length: n }, (_, i) => `0_${i}`);
        const members = Array.from({ length: m }, (_, i) => `m${i}`);
        const previous = new Map(members.map((x) => [x, new Set<string>()]));
        owners.slice(0, n).forEach((o, i) => previous.get(`m${o % m}`)!.add(`0_${i}`));
        const result = balance(tasks, members, previous);
        const all = [...result.values()].flat().sort();
        expect(all).toEqual([...tasks].sort());
        for (const ids of result.values()) {
          expect(ids.length).toBeGreaterThanOrEqual(Math.floor(n / m));
          expect(ids.length).toBeLessThanOrEqual(Math.ceil(n / m));
        }
      }),
    );
  });

  it("spreads each subtopology's tasks over the members, whatever they ran before", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), (partitions, m, owners) => {
        const tasks = partitions.flatMap((count, sub) => Array.from({ length: count }, (_, p) => `${sub}_${p}`));
        const members = Array.from({ length: m }, (_, i) => `m${i}`);
        const previous = new Map(members.map((x) => [x, new Set<string>()]));
        owners.slice(0, tasks.length).forEach((o, i) => previous.get(`m${o % m}`)!.add(tasks[i]!));
        const result = balance(tasks, members, previous);
        expect([...result.values()].flat().sort()).toEqual([...tasks].sort());
        for (const ids of result.values()) {
          partitions.forEach((count, sub) => {
            const held = ids.filter((t) => t.startsWith(`${sub}_`)).length;
            expect(held).toBeLessThanOrEqual(Math.ceil(count / m));
            expect(held).toBeGreaterThanOrEqual(Math.floor(count / m));
          });
          expect(ids.length).toBeLessThanOrEqual(Math.ceil(tasks.length / m));
          expect(ids.length).toBeGreaterThanOrEqual(Math.floor(tasks.length / m));
        }
      }),
    );
  });

  it('a member leaving moves only its own tasks when the others can take them within the bounds', () => {
    const tasks = ['0_0', '1_0', '2_0', '3_0', '4_0', '5_0'];
    const previous = new Map([
      ['a', new Set(['0_0', '3_0'])],
      ['b', new Set(['1_0', '4_0'])],
    ]);
    const result = balance(tasks, ['a', 'b'], previous);
    expect(result.get('a')).toEqual(expect.arrayContaining(['0_0', '3_0']));
    expect(result.get('b')).toEqual(expect.arrayContaining(['1_0', '4_0']));
    expect(result.get('a')).toHaveLength(3);
    expect(result.get('b')).toHaveLength(3);
  });

  /** Member b joins member a, which ran every task. */
  const bJoinsA = (tasks: string[]) => balance(tasks, ['a', 'b'], new Map([['a', new Set(tasks)], ['b', new Set<string>()]]));

  it('a member joining a member that ran everything takes one partition of every subtopology, not the last subtopologies whole', () => {
    const result = bJoinsA(['0_0', '0_1', '1_0', '1_1', '2_0', '2_1']);
    expect(result.get('a')).toEqual(['0_0', '1_0', '2_0']);
    expect(result.get('b')).toEqual(['0_1', '1_1', '2_1']);
  });

  it('moves only what it must when a second member joins', () => {
    const result = bJoinsA(['0_0', '0_1', '0_2', '0_3', '0_4', '0_5']);
    expect(result.get('a')).toEqual(['0_0', '0_1', '0_2']);
    expect(result.get('b')).toEqual(['0_3', '0_4', '0_5']);
  });
});

describe('taskAssignor', () => {
  it('assigns co-partitioned topics of one subtopology together', async () => {
    const partitions: Record<string, number> = { orders: 3, payments: 3, 'app-x-repartition': 3 };
    const cluster = { findTopicPartitionMetadata: (t: string) => Array.from({ length: partitions[t]! }, (_, i) => ({ partitionId: i })) } as unknown as Cluster;
    const assigner = taskAssignor({
      subtopologies: () => [
        { id: 0, sourceTopics: ['orders', 'payments'], sinkTopics: ['app-x-repartition'], changelogs: [] },
        { id: 1, sourceTopics: ['app-x-repartition'], sinkTopics: [], changelogs: [] },
      ],
      ownedTasks: () => [],
    })({ cluster, groupId: 'g', logger: undefined as never });
    const meta = (owned: string[]) => AssignerProtocol.MemberMetadata.encode({ version: 1, topics: [], userData: Buffer.from(JSON.stringify(owned)) });
    const result = await assigner.assign({ members: [{ memberId: 'b', memberMetadata: meta(['0_2']) }, { memberId: 'a', memberMetadata: meta([]) }], topics: [] });
    const decoded = new Map(result.map((r) => [r.memberId, AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment]));
    for (const assignment of decoded.values()) {
      expect([...(assignment.orders ?? [])].sort()).toEqual([...(assignment.payments ?? [])].sort());
    }
    expect(decoded.get('b')!.orders).toContain(2);
    const total = [...decoded.values()].reduce((n, a) => n + Object.values(a).flat().length, 0);
    expect(total).toBe(9);
  });
});
