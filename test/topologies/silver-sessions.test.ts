import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyTestDriver } from '../../runtime/index.ts';
import type { Session } from '../../topologies/logic/sessions/session.ts';
import { buildMedallion } from '../../topologies/medallion.ts';
import { pipelineConfig } from '../../topologies/pipeline-config.ts';
import { SESSION_STORES } from '../../topologies/silver-sessions.ts';

/**
 * The sessionizer's state: per user only the live sessions (aggregates, not clicks), and
 * none that ended more than 48 h + 30 min before the user's latest click (the gate's stream
 * time was at least that when the user's next click was admitted).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2026, 2, 1, 12);
let driver: TopologyTestDriver | undefined;
afterEach(async () => driver?.close());

const click = (id: string, userId: string, time: number, eventType = 'view') => ({ type: 'click', eventId: id, userId, time, eventType, channel: `ch-${id}`, page: `/${id}`, campaign: null, productId: null });

async function start() {
  const config = pipelineConfig({ prefix: 'sess.' });
  const builder = new StreamsBuilder();
  buildMedallion(builder, config);
  driver = await TopologyTestDriver.create(builder.build(), { partitions: 1, applicationId: 'sessions-unit' });
  const bronze = driver.createInputTopic(config.topics.bronzeEvents, Serdes.String(), Serdes.Bytes());
  let offset = 0;
  const pipe = async (...events: object[]) => {
    for (const e of events) await bronze.pipeInput('b', Buffer.from(JSON.stringify(e)), T + offset++);
  };
  const live = (user: string) => driver!.getKeyValueStore<string, Session[]>(SESSION_STORES.sessions).get(user);
  const sessions = () => driver!.createOutputTopic(config.topics.sessions, Serdes.String(), Serdes.Json<Session | null>()).readKeyValuesToList();
  return { pipe, live, sessions };
}

describe('silver sessions state', () => {
  it('keeps one aggregate per live session, not the clicks', async () => {
    const { pipe, live } = await start();
    await pipe(...Array.from({ length: 40 }, (_, i) => click(`a${i}`, 'u1', T + i * MIN)));
    const entry = live('u1');
    expect(entry).toHaveLength(1);
    expect(entry![0]).toMatchObject({ start: T, end: T + 39 * MIN, events: 40, firstEventId: 'a0', landingPage: '/a0' });
  });

  it('drops sessions that ended more than 48 h + 30 min before stream time, keeps the younger ones', async () => {
    const { pipe, live } = await start();
    await pipe(click('a1', 'u1', T), click('a2', 'u1', T + 5 * MIN), click('b1', 'u1', T + 2 * HOUR));
    expect(live('u1')!.map((s) => s.start)).toEqual([T, T + 2 * HOUR]);
    // Stream time T + 48 h + 35 min: the session ending at T + 5 min is exactly at the bound and stays.
    await pipe(click('c1', 'u1', T + 48 * HOUR + 35 * MIN));
    expect(live('u1')!.map((s) => s.start)).toEqual([T, T + 2 * HOUR, T + 48 * HOUR + 35 * MIN]);
    // One millisecond later it is past it; the one at T + 2 h is not.
    await pipe(click('c2', 'u1', T + 48 * HOUR + 35 * MIN + 1));
    expect(live('u1')!.map((s) => s.start)).toEqual([T + 2 * HOUR, T + 48 * HOUR + 35 * MIN]);
  });

  it('a late click within 48 h still merges two sessions into one (the merged ones are retracted)', async () => {
    const { pipe, live, sessions } = await start();
    await pipe(click('a1', 'u1', T), click('a2', 'u1', T + 50 * MIN, 'purchase'), click('x', 'u2', T + 47 * HOUR));
    await pipe(click('late', 'u1', T + 25 * MIN));
    const rows = sessions().slice(-3);
    expect(rows.map((r) => [r.key, r.value?.events ?? null])).toEqual([[`u1|${T}`, null], [`u1|${T + 50 * MIN}`, null], [`u1|${T}`, 3]]);
    expect(rows[2]!.value).toMatchObject({ start: T, end: T + 50 * MIN, events: 3, converted: true, firstEventId: 'a1' });
    expect(live('u1')).toHaveLength(1);
  });
});
