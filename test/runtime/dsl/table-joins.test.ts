import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { JsonSerde } from '../../../runtime/serde/json-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { TopologyTestDriver } from '../../../runtime/testing/topology-test-driver.ts';

const STR = new StringSerde();
const JSON_ = new JsonSerde<unknown>();
const cfg = { applicationId: 'tj', logger: silentLogger, partitions: 3 };

describe('stream-table join', () => {
  it('inner and left join against the table row current at processing time', async () => {
    const b = new StreamsBuilder();
    const customers = b.table('customers', { keySerde: STR, valueSerde: STR });
    const orders = b.stream('orders', { keySerde: STR, valueSerde: STR });
    orders.join(customers, (o, c) => `${o}/${c}`).to('inner', { keySerde: STR, valueSerde: STR });
    orders.leftJoin(customers, (o, c) => `${o}/${c ?? 'none'}`).to('left', { keySerde: STR, valueSerde: STR });
    const d = await TopologyTestDriver.create(b.build(), cfg);
    const c = d.createInputTopic('customers', STR, STR);
    const o = d.createInputTopic('orders', STR, STR);
    await o.pipeInput('u1', 'o1', 1);
    await c.pipeInput('u1', 'Ann', 2);
    await o.pipeInput('u1', 'o2', 3);
    await c.pipeInput('u1', 'Anna', 4);
    await o.pipeInput('u1', 'o3', 5);
    await c.pipeInput('u1', null, 6);
    await o.pipeInput('u1', 'o4', 7);
    expect(d.createOutputTopic('inner', STR, STR).readValuesToList()).toEqual(['o2/Ann', 'o3/Anna']);
    expect(d.createOutputTopic('left', STR, STR).readValuesToList()).toEqual([
      'o1/none',
      'o2/Ann',
      'o3/Anna',
      'o4/none',
    ]);
  });

  it('joins a GlobalKTable by a key taken from the value, across partitions', async () => {
    const b = new StreamsBuilder();
    const products = b.globalTable('products', { keySerde: STR, valueSerde: STR });
    const lines = b.stream('lines', {
      keySerde: STR,
      valueSerde: JSON_ as never as JsonSerde<{ sku: string; qty: number }>,
    });
    lines
      .join(
        products,
        (_k, v) => v.sku,
        (v, name) => `${v.qty}x${name}`,
      )
      .to('inner', { keySerde: STR, valueSerde: STR });
    lines
      .leftJoin(
        products,
        (_k, v) => v.sku,
        (v, name) => `${v.qty}x${name ?? '?'}`,
      )
      .to('left', { keySerde: STR, valueSerde: STR });
    const d = await TopologyTestDriver.create(b.build(), cfg);
    const p = d.createInputTopic('products', STR, STR);
    for (const [sku, name] of [
      ['s1', 'pen'],
      ['s2', 'ink'],
      ['s3', 'pad'],
    ])
      await p.pipeInput(sku!, name!, 1);
    const l = d.createInputTopic('lines', STR, JSON_);
    for (const [order, sku, qty] of [
      ['o1', 's1', 2],
      ['o2', 's3', 1],
      ['o3', 's9', 5],
      ['o4', 's2', 7],
    ] as const)
      await l.pipeInput(order, { sku, qty }, 2);
    expect(d.createOutputTopic('inner', STR, STR).readValuesToList().sort()).toEqual(['1xpad', '2xpen', '7xink']);
    expect(d.createOutputTopic('left', STR, STR).readValuesToList().sort()).toEqual(['1xpad', '2xpen', '5x?', '7xink']);
  });
});

describe('table-table join', () => {
  /* Script: L k=a1; R k=b1; L k=a2; R k=null; L k=null.  Expected rows after each step, by hand. */
  const expected = {
    inner: [null, 'a1+b1', 'a2+b1', null, null],
    left: ['a1+-', 'a1+b1', 'a2+b1', 'a2+-', null],
    outer: ['a1+-', 'a1+b1', 'a2+b1', 'a2+-', null],
  } as const;
  for (const type of ['inner', 'left', 'outer'] as const) {
    it(`${type} join: each change re-joins with the other side's current row`, async () => {
      const b = new StreamsBuilder();
      const l = b.table('l', { keySerde: STR, valueSerde: STR });
      const r = b.table('r', { keySerde: STR, valueSerde: STR });
      const j = (x: string | null, y: string | null) => `${x ?? '-'}+${y ?? '-'}`;
      const t =
        type === 'inner'
          ? l.join(r, j)
          : type === 'left'
            ? l.leftJoin(r, j)
            : l.outerJoin(r, j, { store: 'joined', valueSerde: STR });
      t.toStream().to('out', { keySerde: STR, valueSerde: STR });
      const d = await TopologyTestDriver.create(b.build(), cfg);
      const li = d.createInputTopic('l', STR, STR);
      const ri = d.createInputTopic('r', STR, STR);
      const out = d.createOutputTopic('out', STR, STR);
      const rows: (string | null)[] = [];
      const step = async (f: () => void | Promise<void>) => {
        await f();
        const got = out.readKeyValuesToList();
        rows.push(got.length === 0 ? (rows.at(-1) ?? null) : got.at(-1)!.value);
      };
      await step(() => li.pipeInput('k', 'a1', 1));
      await step(() => ri.pipeInput('k', 'b1', 2));
      await step(() => li.pipeInput('k', 'a2', 3));
      await step(() => ri.pipeInput('k', null, 4));
      await step(() => li.pipeInput('k', null, 5));
      expect(rows).toEqual(expected[type]);
      if (type === 'outer') expect(d.getKeyValueStore<string, string>('joined').get('k')).toBeUndefined();
    });
  }
  it('outer join emits a right-only row', async () => {
    const b = new StreamsBuilder();
    const l = b.table('l', { keySerde: STR, valueSerde: STR });
    const r = b.table('r', { keySerde: STR, valueSerde: STR });
    l.outerJoin(r, (x, y) => `${x ?? '-'}+${y ?? '-'}`)
      .toStream()
      .to('out', { keySerde: STR, valueSerde: STR });
    const d = await TopologyTestDriver.create(b.build(), cfg);
    await d.createInputTopic('r', STR, STR).pipeInput('k', 'b1', 1);
    expect(d.createOutputTopic('out', STR, STR).readValuesToList()).toEqual(['-+b1']);
  });
});

describe('foreign-key table join', () => {
  it('joins each order with its customer by the customer id in the order, following changes of both', async () => {
    const b = new StreamsBuilder();
    const orders = b.table('orders', {
      keySerde: STR,
      valueSerde: JSON_ as never as JsonSerde<{ customer: string; total: number }>,
    });
    const customers = b.table('customers', { keySerde: STR, valueSerde: STR });
    orders
      .join(
        customers,
        (o) => o.customer,
        (o, c) => `${o.total}:${c}`,
        { store: 'fk-inner', valueSerde: STR },
      )
      .toStream()
      .to('inner', { keySerde: STR, valueSerde: STR });
    orders.leftJoin(
      customers,
      (o) => o.customer,
      (o, c) => `${o.total}:${c ?? '?'}`,
      { store: 'fk-left', valueSerde: STR },
    );
    const d = await TopologyTestDriver.create(b.build(), cfg);
    const o = d.createInputTopic('orders', STR, JSON_);
    const c = d.createInputTopic('customers', STR, STR);
    await c.pipeInput('c1', 'Ann', 1);
    await o.pipeInput('o1', { customer: 'c1', total: 10 }, 2);
    await o.pipeInput('o2', { customer: 'c2', total: 20 }, 3); // no customer c2 yet
    await c.pipeInput('c2', 'Bob', 4); // now o2 joins
    await c.pipeInput('c1', 'Anne', 5); // o1 re-joins
    await o.pipeInput('o1', { customer: 'c2', total: 11 }, 6); // o1 moves to c2
    await c.pipeInput('c1', 'Annie', 7); // o1 no longer follows c1
    await o.pipeInput('o2', null, 8); // o2 deleted
    const inner = d.getKeyValueStore<string, string>('fk-inner');
    const left = d.getKeyValueStore<string, string>('fk-left');
    expect([inner.get('o1'), inner.get('o2')]).toEqual(['11:Bob', undefined]);
    expect([left.get('o1'), left.get('o2')]).toEqual(['11:Bob', undefined]);
    expect(d.createOutputTopic('inner', STR, STR).readValuesToList()).toEqual([
      '10:Ann',
      '20:Bob',
      '10:Anne',
      '11:Bob',
      null,
    ]);
  });

  it('left join keeps a row whose foreign key has no match', async () => {
    const b = new StreamsBuilder();
    const orders = b.table('orders', { keySerde: STR, valueSerde: JSON_ as never as JsonSerde<{ customer: string }> });
    const customers = b.table('customers', { keySerde: STR, valueSerde: STR });
    orders.leftJoin(
      customers,
      (o) => o.customer,
      (o, c) => `${o.customer}:${c ?? '?'}`,
      { store: 'fk', valueSerde: STR },
    );
    const d = await TopologyTestDriver.create(b.build(), cfg);
    await d.createInputTopic('orders', STR, JSON_).pipeInput('o1', { customer: 'c9' }, 1);
    expect(d.getKeyValueStore<string, string>('fk').get('o1')).toBe('c9:?');
  });
});
