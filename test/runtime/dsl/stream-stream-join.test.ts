import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { JoinWindows } from '../../../runtime/dsl/join-windows.ts';
import type { JoinType } from '../../../runtime/dsl/joined.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { TopologyTestDriver } from '../../../runtime/testing/topology-test-driver.ts';
import { LATE_HEADERS } from '../../../runtime/windows/late-events.ts';

const STR = new StringSerde();
const windows = JoinWindows.of({ timeDifference: 1_000, grace: 500 });

async function rig(type: JoinType) {
  const b = new StreamsBuilder();
  const left = b.stream('left', { keySerde: STR, valueSerde: STR });
  const right = b.stream('right', { keySerde: STR, valueSerde: STR });
  const joiner = (l: string | null, r: string | null) => `${l ?? '-'}+${r ?? '-'}`;
  const joined =
    type === 'inner'
      ? left.join(right, joiner, windows)
      : type === 'left'
        ? left.leftJoin(right, joiner, windows)
        : left.outerJoin(right, joiner, windows);
  joined.to('out', { keySerde: STR, valueSerde: STR });
  const driver = await TopologyTestDriver.create(b.build(), { applicationId: 'ssj', logger: silentLogger });
  const l = driver.createInputTopic('left', STR, STR);
  const r = driver.createInputTopic('right', STR, STR);
  const out = driver.createOutputTopic('out', STR, STR);
  const late = driver.createOutputTopic('ssj-late-events', STR, STR);
  return { l, r, read: () => out.readRecordsToList().map((x) => `${x.key}:${x.value}@${x.timestamp}`), late };
}

/* One script for every join type; expectations worked out by hand:
 *   L a@1000 = A1;  R a@1900 = B1 (within 1000 of A1: joins);  R a@2001 = B2 (1001 after A1: no);
 *   L b@2000 = A2 (no partner ever);  L a@3000 = A3 (joins B2 at 2001: |999|);
 *   R c@3100 = C1 (no partner);  L x@6000 (moves stream time: everything unmatched is due).
 */
async function script(type: JoinType): Promise<{ out: string[]; late: string[] }> {
  const t = await rig(type);
  await t.l.pipeInput('a', 'A1', 1_000);
  await t.r.pipeInput('a', 'B1', 1_900);
  await t.r.pipeInput('a', 'B2', 2_001);
  await t.l.pipeInput('b', 'A2', 2_000);
  await t.l.pipeInput('a', 'A3', 3_000);
  await t.r.pipeInput('c', 'C1', 3_100);
  const before = t.read();
  await t.l.pipeInput('x', 'X', 6_000);
  await t.l.pipeInput('a', 'A0', 5_500); // at the watermark (6000 - 500): late
  return {
    out: [...before, '|', ...t.read()],
    late: t.late.readRecordsToList().map((x) => `${x.key}:${x.value}:${String(x.headers[LATE_HEADERS.missedByMs])}`),
  };
}

describe('stream-stream windowed join', () => {
  it('inner: only pairs within the time bound, at the later timestamp', async () => {
    const { out, late } = await script('inner');
    expect(out).toEqual(['a:A1+B1@1900', 'a:A3+B2@3000', '|']);
    expect(late).toEqual(['a:A0:1']);
  });

  it('left: unmatched left records with a null partner once the window has passed', async () => {
    const { out } = await script('left');
    // b@2000 is due at 2000 + after 1000 + grace 500 = 3500; emitted when x@6000 arrives.
    expect(out).toEqual(['a:A1+B1@1900', 'a:A3+B2@3000', '|', 'b:A2+-@2000']);
  });

  it('outer: unmatched records of both sides', async () => {
    const { out } = await script('outer');
    expect(out).toEqual(['a:A1+B1@1900', 'a:A3+B2@3000', '|', 'b:A2+-@2000', 'c:-+C1@3100']);
  });

  it('left: a partner arriving late but within the grace still prevents the null result', async () => {
    const t = await rig('left');
    await t.l.pipeInput('k', 'L', 1_000);
    await t.l.pipeInput('z', 'Z', 2_400); // stream time 2400: k due at 2500, not yet
    await t.r.pipeInput('k', 'R', 1_950); // out of order, within the bound and the grace
    await t.l.pipeInput('z', 'Z', 9_000);
    expect(t.read()).toEqual(['k:L+R@1950', 'z:Z+-@2400']);
  });
});
