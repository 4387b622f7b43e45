import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { TopologyTestDriver } from '../../../runtime/testing/topology-test-driver.ts';
import { LATE_HEADERS } from '../../../runtime/windows/late-events.ts';

const STR = new StringSerde();

async function rig() {
  const b = new StreamsBuilder();
  const tiers = b.versionedTable(
    'tiers',
    { keySerde: STR, valueSerde: STR },
    { store: 'tiers-v', historyRetention: 10_000 },
  );
  const orders = b.stream('orders', { keySerde: STR, valueSerde: STR });
  orders.join(tiers, (o, t) => `${o}:${t}`).to('inner', { keySerde: STR, valueSerde: STR });
  orders.leftJoin(tiers, (o, t) => `${o}:${t ?? 'none'}`).to('left', { keySerde: STR, valueSerde: STR });
  tiers.toStream().to('tier-changes', { keySerde: STR, valueSerde: STR });
  const d = await TopologyTestDriver.create(b.build(), { applicationId: 'tj', logger: silentLogger });
  return {
    d,
    tier: d.createInputTopic('tiers', STR, STR),
    order: d.createInputTopic('orders', STR, STR),
    inner: () => d.createOutputTopic('inner', STR, STR).readValuesToList(),
  };
}

describe('temporal stream-table join against a versioned table', () => {
  it('joins each order with the tier valid at its event time, whatever the arrival order', async () => {
    const t = await rig();
    // Hand-worked SCD2 history of c1: bronze from 1000, silver from 2000, gold from 3000.
    await t.tier.pipeInput('c1', 'gold', 3_000);
    await t.tier.pipeInput('c1', 'bronze', 1_000); // out of order
    await t.order.pipeInput('c1', 'o1', 1_500);
    await t.order.pipeInput('c1', 'o2', 2_500); // silver not known yet: bronze is valid at 2500 now
    await t.tier.pipeInput('c1', 'silver', 2_000); // out of order, inside the history retention
    await t.order.pipeInput('c1', 'o3', 2_500);
    await t.order.pipeInput('c1', 'o4', 3_000);
    await t.order.pipeInput('c1', 'o5', 999);
    expect(t.inner()).toEqual(['o1:bronze', 'o2:bronze', 'o3:silver', 'o4:gold']);
    const left = t.d.createOutputTopic('left', STR, STR).readValuesToList();
    expect(left.at(-1)).toBe('o5:none');
    // Only in-order writes change the table's current value; out-of-order ones fill history.
    expect(t.d.createOutputTopic('tier-changes', STR, STR).readValuesToList()).toEqual(['gold']);
  });

  it('sends table updates older than the history retention to the late-events topic', async () => {
    const t = await rig();
    await t.tier.pipeInput('c1', 'gold', 20_000);
    await t.tier.pipeInput('c1', 'ancient', 9_999); // 20000 - 10000 = 10000 is the bound
    const late = t.d.createOutputTopic('tj-late-events', STR, STR).readRecordsToList();
    expect(late.map((r) => [r.value, r.headers[LATE_HEADERS.reason], r.headers[LATE_HEADERS.missedByMs]])).toEqual([
      ['ancient', 'history-expired', '1'],
    ]);
    await t.order.pipeInput('c1', 'o1', 9_999);
    expect(t.inner()).toEqual([]);
  });
});
