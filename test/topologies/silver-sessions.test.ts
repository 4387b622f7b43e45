import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import type { Session } from '../../topologies/logic/sessions/session.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { SESSION_STORES, SESSION_SWEEP_MS } from '../../topologies/silver-sessions.ts';

/**
 * The sessionizer's state: one entry per live session (an aggregate, not its clicks), keyed
 * user, start; none that ended more than 48 h + 30 min before the user's latest click
 * (the gate's stream time was at least that when the user's next click was admitted), and,
 * for users who went quiet, none that ended more than 48 h + 30 min + the sweep margin before
 * the task's greatest event time (the hourly sweep).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2026, 2, 1, 12);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

const click = (id: string, userId: string, time: number, eventType = 'view') => ({ type: 'click', eventId: id, userId, time, eventType, channel: `ch-${id}`, page: `/${id}`, campaign: null, productId: null });

async function start(margin = 24 * HOUR) {
  const config = pipelineConfig({ prefix: 'sess.', sessionSweepMarginMs: margin });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 1, applicationId: 'sessions-unit' });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  let offset = 0;
  const pipe = async (...events: object[]) => {
    for (const e of events) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + offset++);
  };
  /** Every entry of the live-session store: [key, session], in key order. */
  const entries = async () => {
    const out: [string, Session][] = [];
    for await (const { key, value } of driver!.getKeyValueStore<string, Buffer>(SESSION_STORES.sessions).all()) out.push([key, JSON.parse(value.toString('utf8')) as Session]);
    return out;
  };
  /** The user's live sessions, by start. */
  const live = async (user: string) => (await entries()).filter(([, s]) => s.userId === user).map(([, s]) => s).sort((a, b) => a.start - b.start);
  const out = driver.createOutputTopic(config.topics.sessions, Serdes.String(), Serdes.Json<Session | null>());
  /** The session records published since the last call. */
  const sessions = () => out.readKeyValuesToList();
  /** The store of the layout before `user NUL start` (moved into the live store before the first record). */
  const legacy = () => driver!.getKeyValueStore<string, Buffer>(SESSION_STORES.legacy);
  return { pipe, live, entries, sessions, legacy };
}

describe('silver sessions state', () => {
  it('keeps one aggregate per live session, not the clicks', async () => {
    const { pipe, live } = await start();
    await pipe(...Array.from({ length: 40 }, (_, i) => click(`a${i}`, 'u1', T + i * MIN)));
    const entry = await live('u1');
    expect(entry).toHaveLength(1);
    expect(entry![0]).toMatchObject({ start: T, end: T + 39 * MIN, events: 40, firstEventId: 'a0', landingPage: '/a0' });
  });

  it('drops sessions that ended more than 48 h + 30 min before stream time, keeps the younger ones', async () => {
    const { pipe, live } = await start();
    await pipe(click('a1', 'u1', T), click('a2', 'u1', T + 5 * MIN), click('b1', 'u1', T + 2 * HOUR));
    expect((await live('u1')).map((s) => s.start)).toEqual([T, T + 2 * HOUR]);
    // Stream time T + 48 h + 35 min: the session ending at T + 5 min is exactly at the bound and stays.
    await pipe(click('c1', 'u1', T + 48 * HOUR + 35 * MIN));
    expect((await live('u1')).map((s) => s.start)).toEqual([T, T + 2 * HOUR, T + 48 * HOUR + 35 * MIN]);
    // One millisecond later it is past it; the one at T + 2 h is not.
    await pipe(click('c2', 'u1', T + 48 * HOUR + 35 * MIN + 1));
    expect((await live('u1')).map((s) => s.start)).toEqual([T + 2 * HOUR, T + 48 * HOUR + 35 * MIN]);
  });

  it('a late click within 48 h still merges two sessions into one (the later one is retracted, the earlier one updated)', async () => {
    const { pipe, live, sessions } = await start();
    await pipe(click('a1', 'u1', T), click('a2', 'u1', T + 50 * MIN, 'purchase'), click('x', 'u2', T + 47 * HOUR));
    sessions();
    await pipe(click('late', 'u1', T + 25 * MIN));
    // The session starting at T keeps its key: one record, its new version; the one at T + 50 min is retracted.
    const rows = sessions();
    expect(rows.map((r) => [r.key, r.value?.events ?? null])).toEqual([[`u1|${T + 50 * MIN}`, null], [`u1|${T}`, 3]]);
    expect(rows[1]!.value).toMatchObject({ start: T, end: T + 50 * MIN, events: 3, converted: true, firstEventId: 'a1' });
    expect(await live('u1')).toHaveLength(1);
  });

  it('holds one entry per live session, keyed by user and start, and a click merges only with its neighbours', async () => {
    const { pipe, entries, sessions } = await start();
    // 50 sessions of u1, 45 min apart (36.75 h in all: none expires), plus one of u2.
    const gap = 45 * MIN;
    await pipe(...Array.from({ length: 50 }, (_, i) => click(`s${i}`, 'u1', T + i * gap)), click('v', 'u2', T));
    const all = await entries();
    expect(all).toHaveLength(51);
    // Store order is latest start first within a user.
    expect(all.filter(([, s]) => s.userId === 'u1').map(([, s]) => s.start)).toEqual(Array.from({ length: 50 }, (_, i) => T + (49 - i) * gap));
    // A late click 10 min after session 10 (35 min before session 11) extends it and no other: its new version is published under its key, with no tombstone first.
    sessions();
    await pipe(click('late', 'u1', T + 10 * gap + 10 * MIN));
    expect(sessions().map((r) => [r.key, r.value?.events ?? null])).toEqual([[`u1|${T + 10 * gap}`, 2]]);
    const after = await entries();
    expect(after).toHaveLength(51);
    expect(after.find(([, s]) => s.start === T + 10 * gap)![1]).toMatchObject({ end: T + 10 * gap + 10 * MIN, events: 2 });
  });

  it('the sweep deletes the sessions of a user who went quiet, once they ended 48 h + 30 min + margin before the task time', async () => {
    const margin = 2 * HOUR;
    const { pipe, live } = await start(margin);
    await pipe(click('q1', 'quiet', T), click('q2', 'quiet', T + 10 * MIN));
    // Another user's clicks move the task's time on, an hour at a time (a sweep each hour).
    const bound = T + 10 * MIN + 48 * HOUR + 30 * MIN + margin;
    const hours = Math.floor((bound - T) / SESSION_SWEEP_MS);
    await pipe(...Array.from({ length: hours }, (_, i) => click(`b${i}`, 'busy', T + (i + 1) * SESSION_SWEEP_MS)));
    // The task's time is still at most the bound: the quiet user's session is kept.
    expect(T + hours * SESSION_SWEEP_MS).toBeLessThanOrEqual(bound);
    expect(await live('quiet')).toHaveLength(1);
    // An hour later the sweep runs past the bound: the quiet user has no state left.
    await pipe(click('b-last', 'busy', T + (hours + 1) * SESSION_SWEEP_MS));
    expect(await live('quiet')).toEqual([]);
    // The busy user keeps its sessions of the last 48.5 h.
    expect((await live('busy')).length).toBeGreaterThan(40);
  });

  it('a late click before a session starts moves its start: the old key is retracted, the session published under the new one', async () => {
    const { pipe, live, sessions } = await start();
    await pipe(click('a1', 'u1', T + 40 * MIN), click('a2', 'u1', T + 50 * MIN));
    sessions();
    await pipe(click('early', 'u1', T + 20 * MIN));
    expect(sessions().map((r) => [r.key, r.value?.events ?? null])).toEqual([[`u1|${T + 40 * MIN}`, null], [`u1|${T + 20 * MIN}`, 3]]);
    expect(await live('u1')).toEqual([expect.objectContaining({ start: T + 20 * MIN, end: T + 50 * MIN, events: 3, firstEventId: 'early', landingPage: '/early' })]);
  });

  it('the sweep keeps a session that started before its bound but ended after it', async () => {
    const margin = 2 * HOUR;
    const { pipe, live } = await start(margin);
    // One quiet user's session of 5 h (a click every 20 min), then another user's clicks an hour apart.
    await pipe(...Array.from({ length: 16 }, (_, i) => click(`q${i}`, 'quiet', T + i * 20 * MIN)));
    const sweepBound = (taskTime: number) => taskTime - 48 * HOUR - 30 * MIN - margin;
    const busyUntil = async (until: number) => {
      const from = (await live('busy')).at(-1)?.end ?? T;
      const clicks = [];
      for (let time = from + HOUR; time <= until; time += HOUR) clicks.push(click(`b${time}`, 'busy', time));
      await pipe(...clicks);
    };
    // Swept with bounds T + 0.5 h … T + 4.5 h: inside the session [T, T + 5 h], which stays whole.
    await busyUntil(T + 55 * HOUR);
    expect(sweepBound(T + 55 * HOUR)).toBeGreaterThan(T);
    expect(sweepBound(T + 55 * HOUR)).toBeLessThan(T + 5 * HOUR);
    expect(await live('quiet')).toEqual([expect.objectContaining({ start: T, end: T + 5 * HOUR, events: 16 })]);
    // Once a bound passes its end, it goes.
    await busyUntil(T + 57 * HOUR);
    expect(await live('quiet')).toEqual([]);
  });

  it('moves the sessions of the previous store layout (user, end, start) into the live store before the first record', async () => {
    const { pipe, live, sessions, legacy } = await start();
    const old: Session = { userId: 'u1', start: T, end: T + 5 * MIN, events: 2, channel: 'ch-a', campaign: null, landingPage: '/a', firstEventId: 'a', converted: false };
    legacy().put(`u1\u0000end\u0000start`, Buffer.from(JSON.stringify(old)));
    await pipe(click('b', 'u1', T + 10 * MIN));
    // The click extends the moved session: one change under its key, with the counts it had.
    expect(sessions().map((r) => [r.key, r.value?.events ?? null])).toEqual([[`u1|${T}`, 3]]);
    expect(await live('u1')).toEqual([expect.objectContaining({ start: T, end: T + 10 * MIN, events: 3, landingPage: '/a' })]);
    const left = [];
    for await (const entry of legacy().all()) left.push(entry);
    expect(left).toEqual([]);
  });
});
