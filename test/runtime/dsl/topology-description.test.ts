import { describe, expect, test } from 'vitest';
import { Serdes, StreamsBuilder } from '../../../runtime/index.ts';

const S = Serdes.String();

function wordCount() {
  const builder = new StreamsBuilder();
  builder
    .stream('streams-plaintext-input', { keySerde: S, valueSerde: S })
    .flatMapValues((v) => v.toLowerCase().split(' '))
    .groupBy((_k, word) => word, { keySerde: S })
    .count({ store: 'counts-store' })
    .toStream()
    .to('streams-wordcount-output', { valueSerde: Serdes.Long() });
  return builder.build();
}

describe('topology.describe()', () => {
  test('prints Kafka Streams text format, one block per subtopology split at the repartition topic', () => {
    expect(wordCount().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])',
        '      --> KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-KEY-SELECT-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- KSTREAM-FLATMAPVALUES-0000000001',
        '    Sink: KSTREAM-SINK-0000000004 (topic: counts-store-repartition)',
        '      <-- KSTREAM-KEY-SELECT-0000000002',
        '',
        '  Sub-topology: 1',
        '    Source: KSTREAM-SOURCE-0000000005 (topics: [counts-store-repartition])',
        '      --> KSTREAM-AGGREGATE-0000000003',
        '    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])',
        '      --> KTABLE-TOSTREAM-0000000006',
        '      <-- KSTREAM-SOURCE-0000000005',
        '    Processor: KTABLE-TOSTREAM-0000000006 (stores: [])',
        '      --> KSTREAM-SINK-0000000007',
        '      <-- KSTREAM-AGGREGATE-0000000003',
        '    Sink: KSTREAM-SINK-0000000007 (topic: streams-wordcount-output)',
        '      <-- KTABLE-TOSTREAM-0000000006',
        '',
        '',
      ].join('\n'),
    );
  });

  test('lists a global store as its own subtopology that creates no tasks', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: S, valueSerde: S }).to('out');
    builder.globalTable('products', { keySerde: S, valueSerde: S }, { store: 'products-store' });
    const text = builder.build().describe().toString();
    expect(text).toContain(
      [
        '  Sub-topology: 1 for global store (will not generate tasks)',
        '    Source: KSTREAM-SOURCE-0000000002 (topics: [products])',
        '      --> KTABLE-SOURCE-0000000003',
        '    Processor: KTABLE-SOURCE-0000000003 (stores: [products-store])',
        '      --> none',
        '      <-- KSTREAM-SOURCE-0000000002',
      ].join('\n'),
    );
  });

  test('orders branching nodes by sub-tree size, then by name', () => {
    const builder = new StreamsBuilder();
    const s = builder.stream('in', { keySerde: S, valueSerde: S, name: 'src' });
    s.filter(() => true, 'z-small').to('a', { name: 'z-sink' });
    s.mapValues((v) => v, 'a-big').filter(() => true, 'a-big-2').to('b', { name: 'a-sink', valueSerde: S });
    const names = builder.build().describe().subtopologies[0]!.nodes.map((n) => n.name);
    expect(names).toEqual(['src', 'a-big', 'a-big-2', 'z-small', 'a-sink', 'z-sink']);
  });

  test('renders a Mermaid flowchart with topics, stores and one subgraph per subtopology', () => {
    const mermaid = wordCount().describe().toMermaid();
    const lines = mermaid.trim().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines.filter((l) => l.includes('subgraph'))).toEqual(['  subgraph sub0 ["Sub-topology 0"]', '  subgraph sub1 ["Sub-topology 1"]']);
    const id = (name: string) => lines.find((l) => l.endsWith(`["${name}"]`))!.trim().split('[')[0];
    expect(lines).toContain(`  ${id('KSTREAM-FLATMAPVALUES-0000000001')} --> ${id('KSTREAM-KEY-SELECT-0000000002')}`);
    expect(mermaid).toMatch(/\[\/"streams-plaintext-input"\/\] --> n\d+/);
    expect(mermaid).toMatch(/-\.- s\d+\[\("counts-store"\)\]/);
    expect(mermaid).toMatch(/--> t\d+\[\/"counts-store-repartition"\/\]/);
  });
});
