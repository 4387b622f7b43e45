import { installedKafkajsVersion, PATCHED_KAFKAJS_VERSION } from './kafkajs-version.ts';

/**
 * Linear grouping of a topic's messages per partition inside kafkajs' `sendBatch`.
 *
 * Why: kafkajs 2.2.4 (`src/producer/groupMessagesPerPartition.js`) groups a topic's messages
 * with `messages.reduce((result, m) => Object.assign(result, { [p]: [...(result[p] || []), m] }), {})`,
 * copying the partition's whole array for every message: O(n²) in the messages of one
 * partition. At 1,000-record batches that was 3.6 % of the medallion's application thread.
 * The module binds the function when kafkajs loads, so it cannot be replaced from outside.
 *
 * How: the messages array handed to kafkajs gets an own `reduce` (`groupedLinearly`). A
 * message that names its partition goes straight to that group: every kafkajs partitioner
 * (and ours, default-partitioner.ts) returns a message's own partition. For the others it runs
 * kafkajs' reducer unchanged (the partitioner is still kafkajs' call, with its arguments), over
 * a result object whose reads find no partition yet, so each call builds a one-message array,
 * and whose writes append that message to the real group. The result is the object kafkajs
 * would have built: the same partitions, with their messages in the same order.
 *
 * Only on kafkajs 2.2.4, whose reducer is known to read then write one key per message; other
 * versions get the array as it is.
 */
/** Whether the installed kafkajs is the one whose grouping `groupedLinearly` stands in for. */
function kafkajsMatches(): boolean {
  return installedKafkajsVersion() === PATCHED_KAFKAJS_VERSION;
}

type Reducer<T> = (result: Record<string, T[]>, message: T) => Record<string, T[]>;
interface Placed {
  readonly partition?: number | null;
}

/** Gives `messages` the linear `reduce` kafkajs' grouping will call (on kafkajs 2.2.4); returns the same array. */
export function groupedLinearly<T extends object>(messages: T[]): T[] {
  if (kafkajsMatches()) Object.defineProperty(messages, 'reduce', { value: reduceIntoGroups, configurable: true, writable: true, enumerable: false });
  return messages;
}

/**
 * `Array.prototype.reduce` for kafkajs' reducer: each call sees no group yet and writes a
 * one-message array, which is appended to the group instead. Anything else it writes (not a
 * one-element array) is kept as it is, as a plain object would.
 */
function reduceIntoGroups<T extends object>(this: T[], reducer: Reducer<T>, initial: Record<string, T[]>): Record<string, T[]> {
  const groups = initial;
  let appending: Record<string, T[]> | undefined;
  for (let i = 0; i < this.length; i++) {
    const message = this[i]!;
    const partition = (message as Placed).partition;
    if (typeof partition !== 'number') {
      reducer((appending ??= appendingTo(groups)), message);
      continue;
    }
    const group = groups[partition];
    if (group === undefined) groups[partition] = [message];
    else group.push(message);
  }
  return groups;
}

/** A view of `groups` for kafkajs' reducer: reads find no group, a one-message array written is appended to the group. */
function appendingTo<T>(groups: Record<string, T[]>): Record<string, T[]> {
  return new Proxy(groups, {
    get: () => undefined,
    set: (target, partition, written: T[]) => {
      const group = target[partition as string];
      if (group !== undefined && Array.isArray(written) && written.length === 1) group.push(written[0]!);
      else target[partition as string] = written;
      return true;
    },
  });
}
