import { describe, expect, it } from 'vitest';
import type { OutgoingRecord } from '../../../../runtime/task/internal/record-collector.ts';
import { TaskStateContext } from '../../../../runtime/task/internal/task-state-context.ts';

function context() {
  const sent: OutgoingRecord[] = [];
  const ctx = new TaskStateContext({ applicationId: 'app', taskId: '1_3', partition: 3, currentTimestamp: () => 0 }, '/nonexistent', { send: (r) => sent.push(r) });
  ctx.changelogs.set('counts', 'app-counts-changelog');
  ctx.changelogs.set('clock', 'app-clock-changelog');
  return { ctx, sent };
}

const b = (s: string) => Buffer.from(s);
const view = (sent: OutgoingRecord[]) => sent.map((r) => [r.topic, r.partition, r.key?.toString(), r.value?.toString() ?? null, r.timestamp]);

describe('TaskStateContext changelog writes', () => {
  it('holds changes until sendChanges, then sends the last change per key, store by store, in the order of the last writes', () => {
    const { ctx, sent } = context();
    ctx.logChange('counts', b('a'), b('1'), 10);
    ctx.logChange('clock', b('a'), b('10'), 10);
    ctx.logChange('counts', b('b'), b('1'), 11);
    ctx.logChange('counts', b('a'), b('2'), 12);
    ctx.logChange('counts', b('b'), null, 13);
    expect(sent).toEqual([]);
    ctx.sendChanges();
    expect(view(sent)).toEqual([
      ['app-counts-changelog', 3, 'a', '2', 12],
      ['app-counts-changelog', 3, 'b', null, 13],
      ['app-clock-changelog', 3, 'a', '10', 10],
    ]);
    ctx.sendChanges();
    expect(sent).toHaveLength(3);
  });

  it('drops the changes not sent (a task closed without a commit)', () => {
    const { ctx, sent } = context();
    ctx.logChange('counts', b('a'), b('1'), 10);
    ctx.dropChanges();
    ctx.sendChanges();
    expect(sent).toEqual([]);
  });

  it('sends what it holds once 50,000 distinct keys wait', () => {
    const { ctx, sent } = context();
    for (let i = 0; i < 50_000; i++) ctx.logChange('counts', b(`k${i}`), b('1'), i);
    expect(sent).toHaveLength(0);
    ctx.logChange('counts', b('k0'), b('2'), 50_000); // a key already held: still coalesced
    expect(sent).toHaveLength(0);
    ctx.logChange('counts', b('new'), b('1'), 50_001);
    expect(sent).toHaveLength(50_000);
    ctx.sendChanges();
    expect(view(sent.slice(-1))).toEqual([['app-counts-changelog', 3, 'new', '1', 50_001]]);
  });
});
