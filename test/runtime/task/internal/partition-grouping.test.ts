import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { kafkaPartitioner } from '../../../../runtime/task/internal/default-partitioner.ts';
import { groupedLinearly } from '../../../../runtime/task/internal/partition-grouping.ts';

const require = createRequire(import.meta.url);
interface Message {
  key: string | null;
  value: string;
  partition?: number;
}
type Grouping = (args: { topic: string; partitionMetadata: { partitionId: number; leader: number }[]; messages: Message[]; partitioner: unknown }) => Record<string, Message[]>;
/** kafkajs' own grouping, from its file: what `sendBatch` calls with the array it is given. */
const kafkajsGrouping = require('kafkajs/src/producer/groupMessagesPerPartition.js') as Grouping;

const metadata = (partitions: number) => Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 1 }));
const message = fc.record({ key: fc.option(fc.string({ maxLength: 6 }), { nil: null }), value: fc.string({ maxLength: 4 }), partition: fc.option(fc.nat(7), { nil: undefined }) });

describe('groupedLinearly', () => {
  test('kafkajs groups the array into the same partitions, holding the same messages in the same order', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (drawn, partitions) => {
        const messages: Message[] = drawn.map(({ partition, ...m }) => (partition === undefined ? m : { ...m, partition: partition % partitions }));
        // Keyed and explicit placements only: round robin would differ between the two runs.
        const placed = messages.map((m) => (m.key === null && m.partition === undefined ? { ...m, partition: 0 } : m));
        const args = { topic: 't', partitionMetadata: metadata(partitions), partitioner: kafkaPartitioner()() };
        const theirs = kafkajsGrouping({ ...args, messages: [...placed] });
        const ours = kafkajsGrouping({ ...args, messages: groupedLinearly([...placed]) });
        expect(Object.keys(ours)).toEqual(Object.keys(theirs));
        for (const p of Object.keys(theirs)) {
          expect(ours[p]!.length).toBe(theirs[p]!.length);
          ours[p]!.forEach((m, i) => expect(m).toBe(theirs[p]![i]));
        }
      }),
      { numRuns: 200 },
    );
  });

  test('calls the partitioner once per message that names no partition; one that does goes to its own', () => {
    const seen: string[] = [];
    const partitioner = ({ message: m }: { message: Message }) => (seen.push(m.value), Number(m.value) % 3);
    const messages: Message[] = Array.from({ length: 10 }, (_, i) => (i % 4 === 3 ? { key: null, value: String(i), partition: 2 } : { key: null, value: String(i) }));
    const groups = kafkajsGrouping({ topic: 't', partitionMetadata: metadata(3), messages: groupedLinearly(messages), partitioner });
    expect(seen).toEqual(['0', '1', '2', '4', '5', '6', '8', '9']);
    expect(Object.fromEntries(Object.entries(groups).map(([p, ms]) => [p, ms.map((m) => m.value)]))).toEqual({ 0: ['0', '6', '9'], 1: ['1', '4'], 2: ['2', '3', '5', '7', '8'] });
  });

  test('leaves the array an array otherwise: iteration, length and other methods are unchanged', () => {
    const messages = groupedLinearly([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    expect(Array.isArray(messages)).toBe(true);
    expect(Object.keys(messages)).toEqual(['0', '1']);
    expect(messages.map((m) => m.value)).toEqual(['1', '2']);
    expect(JSON.stringify(messages)).toBe('[{"key":"a","value":"1"},{"key":"b","value":"2"}]');
  });
});
