import { afterEach, describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { TopologyTestDriver } from '../../../runtime/testing/topology-test-driver.ts';
import { SessionWindows } from '../../../runtime/windows/session-windows.ts';
import { TimeWindows } from '../../../runtime/windows/time-windows.ts';
import { LONG, STR, WSTR } from './windows-support.ts';

let driver: TopologyTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

type Shape = 'tumbling' | 'session';

async function rig(shape: Shape, options: { caching?: boolean; commitEachRecord?: boolean } = {}) {
  const builder = new StreamsBuilder();
  const grouped = builder.stream('in', { keySerde: STR, valueSerde: STR }).groupByKey();
  const materialized = { store: 'counts', caching: options.caching };
  const table =
    shape === 'tumbling'
      ? grouped.windowedBy(TimeWindows.tumbling({ size: 10_000, grace: 60_000 })).count(materialized)
      : grouped.windowedBy(SessionWindows.withInactivityGap({ inactivityGap: 1_000, grace: 60_000 })).count(materialized);
  table.toStream().to('out', { keySerde: WSTR, valueSerde: LONG });
  driver = await TopologyTestDriver.create(builder.build(), { applicationId: 'cw', logger: silentLogger, commitEachRecord: options.commitEachRecord });
  const input = driver.createInputTopic('in', STR, STR);
  const out = driver.createOutputTopic('out', WSTR, LONG);
  const read = () => out.readRecordsToList().map((r) => `${r.key.key}@${r.key.window.start}-${r.key.window.end}=${r.value}`);
  return { driver, input, read };
}

describe('windowed aggregations on update with caching (the default)', () => {
  it('tumbling: one result per window per commit, with the final count', async () => {
    const { driver, input, read } = await rig('tumbling', { commitEachRecord: false });
    for (let t = 0; t < 5; t++) input.pipeInput('a', 'x', 1_000 + t);
    input.pipeInput('b', 'x', 2_000);
    input.pipeInput('a', 'x', 12_000);
    expect(read()).toEqual([]);
    await driver.commit();
    expect(read().sort()).toEqual(['a@0-10000=5', 'a@10000-20000=1', 'b@0-10000=1']);
    input.pipeInput('a', 'x', 3_000);
    input.pipeInput('a', 'x', 4_000);
    await driver.commit();
    expect(read()).toEqual(['a@0-10000=7']);
  });

  it('sessions: a session growing within a commit is forwarded once, and no transient session is retracted', async () => {
    const { driver, input, read } = await rig('session', { commitEachRecord: false });
    for (const t of [1_000, 1_500, 2_000, 2_800]) input.pipeInput('a', 'x', t);
    await driver.commit();
    expect(read()).toEqual(['a@1000-2801=4']);
    input.pipeInput('a', 'x', 3_500); // extends the session that reached the store: retract it, then the new one
    await driver.commit();
    expect(read()).toEqual(['a@1000-2801=null', 'a@1000-3501=5']);
  });

  it('with caching off, or a commit after each record, every update is forwarded', async () => {
    for (const options of [{ caching: false, commitEachRecord: false }, {}]) {
      const { driver, input, read } = await rig('tumbling', options);
      for (let t = 0; t < 3; t++) input.pipeInput('a', 'x', 1_000 + t);
      expect(read()).toEqual(['a@0-10000=1', 'a@0-10000=2', 'a@0-10000=3']);
      await driver.close();
    }
  });
});
