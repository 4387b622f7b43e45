import { StreamsError } from '../../errors/streams-error.ts';

/** A subtopology as partition counting sees it: full topic names. */
export interface CountedSubtopology {
  readonly id: number;
  readonly sourceTopics: readonly string[];
  readonly sinkTopics: readonly string[];
  readonly changelogs: readonly string[];
}

export interface PartitionCountInput {
  readonly subtopologies: readonly CountedSubtopology[];
  /** The repartition and internal output topics, with their fixed count if any. */
  readonly written: ReadonlyMap<string, number | undefined>;
  /**
   * The count of a topic that exists: every external topic, and the internal topics the
   * runtime finds on the broker (they keep their count: a topic is never resized).
   */
  readonly existing: (topic: string) => number | undefined;
}

export interface PartitionCounts {
  /** Every internal topic: repartition, output and changelog. */
  readonly topics: Map<string, number>;
  /** Every subtopology: its number of tasks. */
  readonly subtopologies: Map<number, number>;
}

/**
 * The partition counts of an application's internal topics and subtopologies, as Kafka
 * Streams works them out (RepartitionTopics, CopartitionedTopicsEnforcer).
 *
 * A task reads partition p of every source of its subtopology, so those sources are
 * co-partitioned: equal counts, or a key lands on different partition numbers and never
 * meets itself. A topic read by two subtopologies joins their groups. A group is decided
 * once each of its topics has a count: a pinned one (an external topic's, a fixed one, an
 * existing internal topic's), or, for the other internal topics, their writers' (the max
 * over the subtopologies that write them, once those are decided). Pinned counts must
 * agree (else TOPICS_NOT_COPARTITIONED), and the unpinned topics take the pinned count,
 * or the largest of theirs when none is pinned; the group's readers get that count, and so
 * do their changelogs (one partition per task).
 *
 * A foreign-key join writes and reads both ways, a cycle through repartition topics. When
 * no group can be decided, the first group that has a known topic and whose unknown ones
 * are all unpinned internal topics is decided by its known topics, and rounds go on. A
 * group with an external topic that does not exist is never decided (SOURCE_TOPIC_MISSING).
 */
export function partitionCounts({ subtopologies, written, existing }: PartitionCountInput): PartitionCounts {
  const pinned = (t: string): number | undefined => existing(t) ?? written.get(t);
  const topics = new Map<string, number>();
  const subCounts = new Map<number, number>();
  // A topic's own count: pinned, else (written topics) its writers' once all are decided.
  const ownCount = (t: string): number | undefined => {
    const pin = pinned(t);
    if (pin !== undefined || !written.has(t)) return pin;
    const counts = subtopologies.filter((s) => s.sinkTopics.includes(t)).map((s) => subCounts.get(s.id));
    return counts.every((n) => n !== undefined) ? Math.max(1, ...counts) : undefined;
  };
  const decide = (group: Group, relaxed: boolean): boolean => {
    const known = group.topics.filter((t) => ownCount(t) !== undefined);
    const unknown = group.topics.filter((t) => ownCount(t) === undefined);
    if (unknown.length > 0 && !(relaxed && known.length > 0 && unknown.every((t) => written.has(t)))) return false;
    const pins = known.filter((t) => pinned(t) !== undefined);
    if (new Set(pins.map(pinned)).size > 1) throw notCopartitioned(group, pins.map((t) => describePin(t, written, existing)));
    const n = pins.length > 0 ? pinned(pins[0]!)! : Math.max(...known.map((t) => ownCount(t)!));
    for (const t of group.topics) if (written.has(t)) topics.set(t, n);
    for (const s of group.readers) subCounts.set(s.id, n);
    return true;
  };
  const open = groupsOf(subtopologies);
  const step = (relaxed: boolean): boolean => {
    const i = open.findIndex((g) => decide(g, relaxed));
    if (i >= 0) open.splice(i, 1);
    return i >= 0;
  };
  while (step(false) || step(true));
  if (open.length > 0) throw missingSources(open, written, existing);
  for (const t of written.keys()) if (!topics.has(t)) topics.set(t, ownCount(t)!);
  for (const s of subtopologies) for (const t of s.changelogs) topics.set(t, subCounts.get(s.id)!);
  return { topics, subtopologies: subCounts };
}

/** Topics that must have equal counts, and the subtopologies that read them. */
interface Group {
  readonly topics: string[];
  readonly readers: CountedSubtopology[];
}

/** The sources of each subtopology, merged where subtopologies share a topic; in subtopology order. */
function groupsOf(subtopologies: readonly CountedSubtopology[]): Group[] {
  const groups: Group[] = [];
  for (const sub of subtopologies) {
    const shared = groups.filter((g) => sub.sourceTopics.some((t) => g.topics.includes(t)));
    const merged: Group = {
      topics: [...new Set([...shared.flatMap((g) => g.topics), ...sub.sourceTopics])],
      readers: [...shared.flatMap((g) => g.readers), sub],
    };
    groups.splice(shared.length > 0 ? groups.indexOf(shared[0]!) : groups.length, 0, merged);
    for (const g of shared) groups.splice(groups.indexOf(g), 1);
  }
  return groups;
}

function describePin(t: string, written: ReadonlyMap<string, number | undefined>, existing: (t: string) => number | undefined): string {
  if (!written.has(t)) return `${t} has ${existing(t)}`;
  const n = existing(t);
  return n !== undefined ? `${t} exists with ${n}` : `${t} is fixed at ${written.get(t)}`;
}

function readersOf(group: Group): string {
  const ids = group.readers.map((s) => s.id);
  return `${ids.length > 1 ? 'subtopologies' : 'subtopology'} ${ids.join(', ')}`;
}

function notCopartitioned(group: Group, pins: readonly string[]): StreamsError {
  return new StreamsError('TOPICS_NOT_COPARTITIONED', `topics read together by ${readersOf(group)} must have the same partition count, but ${pins.join(', ')}`, {
    context: { topic: group.topics[0] },
  });
}

/** The first undecided group with a source that does not exist (the others wait for it). */
function missingSources(open: readonly Group[], written: ReadonlyMap<string, unknown>, existing: (t: string) => number | undefined): StreamsError {
  const missingIn = (g: Group) => g.topics.filter((t) => !written.has(t) && existing(t) === undefined);
  const group = open.find((g) => missingIn(g).length > 0) ?? open[0]!;
  const missing = missingIn(group);
  return new StreamsError('SOURCE_TOPIC_MISSING', `source topic(s) ${missing.join(', ')} of ${readersOf(group)} do not exist`, {
    context: { topic: missing[0] },
  });
}
