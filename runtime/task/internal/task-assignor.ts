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
 * Balanced, sticky distribution of `tasks` over `members` (both sorted):
 * - each member gets ⌊S/n⌋ or ⌈S/n⌉ of the S tasks of every subtopology. Subtopologies
 *   differ in cost by far more than the partitions of one do, so a member holding whole
 *   subtopologies (say the first half of the sorted list) may carry many times the load of
 *   another with as many tasks; Kafka Streams spreads them too;
 * - each member gets ⌊T/n⌋ or ⌈T/n⌉ tasks in all;
 * - within both, a member keeps the tasks it ran before. A subtopology's S mod n larger
 *   shares go first to the members that ran most of its tasks (then to those with the fewest
 *   tasks so far, then in member order); while two members' totals differ by two or more, a
 *   larger share moves from the heavier to the lighter in the subtopology where that costs the
 *   fewest moved tasks. Then each member keeps what it ran, up to its share, and the rest go,
 *   in order, to the members with room.
 */
export function balance(tasks: string[], members: string[], previous: Map<string, Set<string>>): Map<string, string[]> {
  const bySubtopology = new Map<string, string[]>();
  for (const task of tasks) {
    const sub = task.slice(0, task.indexOf('_'));
    (bySubtopology.get(sub) ?? bySubtopology.set(sub, []).get(sub)!).push(task);
  }
  const totals = new Map<string, number>(members.map((m) => [m, 0]));
  const plans = [...bySubtopology.values()].map((subTasks) => {
    const ran = new Map(members.map((m) => [m, subTasks.filter((t) => previous.get(m)?.has(t)).length]));
    const base = Math.floor(subTasks.length / members.length);
    const order = members
      .map((m, index) => ({ m, index }))
      .sort((x, y) => ran.get(y.m)! - ran.get(x.m)! || totals.get(x.m)! - totals.get(y.m)! || x.index - y.index);
    const share = new Map<string, number>();
    order.forEach(({ m }, i) => share.set(m, base + (i < subTasks.length % members.length ? 1 : 0)));
    for (const m of members) totals.set(m, totals.get(m)! + share.get(m)!);
    return { subTasks, ran, share };
  });
  for (;;) {
    const heavy = members.reduce((a, m) => (totals.get(m)! > totals.get(a)! ? m : a));
    const light = members.reduce((a, m) => (totals.get(m)! < totals.get(a)! ? m : a));
    if (totals.get(heavy)! - totals.get(light)! < 2) break;
    // Tasks kept by their previous owner that the move gains (light) minus those it loses (heavy).
    const saved = (p: (typeof plans)[number]) =>
      (p.ran.get(light)! > p.share.get(light)! ? 1 : 0) - (p.ran.get(heavy)! >= p.share.get(heavy)! ? 1 : 0);
    let best: (typeof plans)[number] | undefined;
    for (const p of plans) if (p.share.get(heavy)! > p.share.get(light)! && (best === undefined || saved(p) > saved(best))) best = p;
    best!.share.set(heavy, best!.share.get(heavy)! - 1);
    best!.share.set(light, best!.share.get(light)! + 1);
    totals.set(heavy, totals.get(heavy)! - 1);
    totals.set(light, totals.get(light)! + 1);
  }
  const result = new Map<string, string[]>(members.map((m) => [m, []]));
  for (const { subTasks, share } of plans) {
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
