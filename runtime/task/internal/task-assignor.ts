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

/** Balanced, sticky distribution of `tasks` over `members` (both sorted). */
export function balance(tasks: string[], members: string[], previous: Map<string, Set<string>>): Map<string, string[]> {
  const result = new Map<string, string[]>(members.map((m) => [m, []]));
  const base = Math.floor(tasks.length / members.length);
  let extra = tasks.length % members.length;
  const quota = new Map<string, number>();
  for (const m of members) quota.set(m, base + (extra-- > 0 ? 1 : 0));
  const unassigned: string[] = [];
  for (const task of tasks) {
    const owner = members.find((m) => previous.get(m)?.has(task) && result.get(m)!.length < quota.get(m)!);
    if (owner) result.get(owner)!.push(task);
    else unassigned.push(task);
  }
  for (const task of unassigned) {
    const m = members.find((m) => result.get(m)!.length < quota.get(m)!)!;
    result.get(m)!.push(task);
  }
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
