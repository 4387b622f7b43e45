import { AssignerProtocol, type Assigner, type PartitionAssigner } from 'kafkajs';
import type { SubtopologyPlan } from './task-handle.ts';

/** `<subtopologyId>_<partition>`, as in Kafka Streams. */
export function taskIdOf(subtopology: number, partition: number): string {
  return `${subtopology}_${partition}`;
}

export interface AssignorOptions {
  subtopologies: () => readonly SubtopologyPlan[];
  /** Task ids this member runs now; sent as user data so the leader can keep them here. */
  ownedTasks: () => readonly string[];
}

/**
 * A kafkajs partition assigner that assigns tasks, not partitions: all source partitions
 * of one (subtopology, partition) go to the same member, so co-partitioned inputs share
 * a task. Tasks are balanced (each member gets ⌊T/n⌋ or ⌈T/n⌉) and sticky: a member
 * keeps the tasks it ran before, up to its share, so that a rebalance moves (and
 * restores) as few stores as possible.
 */
export function taskAssignor(options: AssignorOptions): PartitionAssigner {
  return ({ cluster }): Assigner => ({
    name: 'StreamhouseTaskAssignor',
    version: 1,
    protocol({ topics }) {
      const userData = Buffer.from(JSON.stringify(options.ownedTasks()));
      return { name: 'StreamhouseTaskAssignor', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData }) };
    },
    async assign({ members }) {
      const tasks = new Map<string, { topic: string; partition: number }[]>();
      for (const sub of options.subtopologies()) {
        for (const topic of sub.sourceTopics) {
          for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
            const id = taskIdOf(sub.id, partitionId);
            if (!tasks.has(id)) tasks.set(id, []);
            tasks.get(id)!.push({ topic, partition: partitionId });
          }
        }
      }
      const previous = new Map(members.map((m) => [m.memberId, previousTasks(m.memberMetadata)]));
      const owners = balance([...tasks.keys()].sort(compareTaskIds), [...previous.keys()].sort(), previous);
      return [...owners].map(([memberId, ids]) => {
        const assignment: Record<string, number[]> = {};
        for (const id of ids) for (const tp of tasks.get(id)!) (assignment[tp.topic] ??= []).push(tp.partition);
        return { memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) }) };
      });
    },
  });
}

/**
 * Balanced, sticky distribution of `tasks` over `members` (both sorted), one subtopology at
 * a time:
 * - each member gets ⌊S/n⌋ or ⌈S/n⌉ of the S tasks of every subtopology. Subtopologies
 *   differ in cost by far more than the partitions of one do, so a member holding whole
 *   subtopologies (say the first half of the sorted list) may carry many times the load of
 *   another with as many tasks; Kafka Streams spreads them too;
 * - the S mod n members that get one more go to the members with the fewest tasks so far,
 *   so totals stay within one of each other: each member gets ⌊T/n⌋ or ⌈T/n⌉ tasks in all;
 *   among equals, those that ran more of the subtopology's tasks before, then member order;
 * - a member keeps the tasks it ran before, up to its share; the rest go, in order, to the
 *   members with room.
 */
export function balance(tasks: string[], members: string[], previous: Map<string, Set<string>>): Map<string, string[]> {
  const result = new Map<string, string[]>(members.map((m) => [m, []]));
  const bySubtopology = new Map<string, string[]>();
  for (const task of tasks) {
    const sub = task.slice(0, task.indexOf('_'));
    (bySubtopology.get(sub) ?? bySubtopology.set(sub, []).get(sub)!).push(task);
  }
  for (const subTasks of bySubtopology.values()) {
    const ran = (m: string) => subTasks.filter((t) => previous.get(m)?.has(t)).length;
    const order = members
      .map((m, index) => ({ m, index, total: result.get(m)!.length, ran: ran(m) }))
      .sort((x, y) => x.total - y.total || y.ran - x.ran || x.index - y.index);
    const share = new Map<string, number>();
    const base = Math.floor(subTasks.length / members.length);
    order.forEach(({ m }, i) => share.set(m, base + (i < subTasks.length % members.length ? 1 : 0)));
    const taken = new Map<string, number>(members.map((m) => [m, 0]));
    const give = (m: string, task: string) => {
      result.get(m)!.push(task);
      taken.set(m, taken.get(m)! + 1);
    };
    const unassigned: string[] = [];
    for (const task of subTasks) {
      const owner = members.find((m) => previous.get(m)?.has(task) && taken.get(m)! < share.get(m)!);
      if (owner) give(owner, task);
      else unassigned.push(task);
    }
    for (const task of unassigned) give(members.find((m) => taken.get(m)! < share.get(m)!)!, task);
  }
  for (const ids of result.values()) ids.sort(compareTaskIds);
  return result;
}

function previousTasks(metadata: Buffer): Set<string> {
  try {
    const decoded = AssignerProtocol.MemberMetadata.decode(metadata);
    const parsed: unknown = decoded?.userData?.length ? JSON.parse(decoded.userData.toString()) : [];
    return new Set(Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : []);
  } catch {
    return new Set();
  }
}

function compareTaskIds(a: string, b: string): number {
  const [sa, pa] = a.split('_').map(Number) as [number, number];
  const [sb, pb] = b.split('_').map(Number) as [number, number];
  return sa - sb || pa - pb;
}
