import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { ALLOWED_LATENESS_MS } from './logic/silver/lateness.ts';
import type { ClickStreamEvent, InputEvent } from './logic/silver/input-event.ts';
import { mergeSessions, SESSION_GAP_MS, sessionOf, type ClickEvent, type Session } from './logic/sessions/session.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Silver sessions: per user, clicks at most 30 minutes apart form one session (session
 * windows by inactivity gap, as Kafka Streams' session windows). Per user the store keeps
 * only the user's live sessions (their aggregates, not their clicks): a click merges with
 * every stored session that ends at most the gap before it and starts at most the gap after
 * it (`mergeSessions`), so a late click can extend a session or merge two into one; the
 * merged ones are retracted and the new one published. The result equals `sessionize` over
 * all the user's clicks.
 *
 * Layout: one entry per live session in an ordered store, keyed `user NUL end NUL start`
 * (times as fixed-width hex, so byte order is end order within a user); a user's sessions are
 * disjoint, so they are in start order too. A click at t range-scans its user's sessions from
 * end t − gap and stops at the first that starts after t + gap: the work per click is the
 * sessions it merges with, not the user's history. A second store holds each user's latest
 * click time, and a third the task's greatest event time and the time of the last sweep.
 *
 * Retention (event time): the gate drops a click more than 48 h behind its stream time, so a
 * session whose end is more than 48 h + 30 min behind that stream time can no longer grow or
 * merge, and is dropped.
 * - On each click, from the user's own latest click: a user's clicks reach this task in the
 *   gate's order (silver and the repartition are both keyed by user), so each was admitted at
 *   a gate stream time at least as late as the user's latest click; the user's sessions that
 *   ended more than 48 h + 30 min before it are deleted (a range scan of just those).
 * - For users who go quiet, a sweep each `SESSION_SWEEP_MS` (1 h) of the task's greatest event
 *   time M deletes every session that ended before M − 48 h − 30 min − `sessionSweepMarginMs`
 *   (default 24 h), and the latest-click entry of every user with nothing left. M alone is not
 *   safe: the silver partitions feeding the task interleave in any order, so a click the gate
 *   admitted before the one at M may still be on its way, and its gate stream time may be
 *   below M. It is at least M − margin as long as no silver partition feeding the task lags
 *   another by more than the margin in event time (a day by default: far beyond the seconds
 *   of a live run; a catch-up after a long outage with very unequal partitions is the case
 *   to size it for). A click the sweep was too early for still merges with what is left, so
 *   the only possible harm is a session split in two, never a lost click.
 * The state therefore holds per user the sessions of at most 48.5 h (+ margin for users who
 * went quiet) of event time, whatever the length of the run.
 */
export interface SessionChange {
  readonly old: Session | null;
  readonly new: Session | null;
}

export const SESSION_STORES = { sessions: 'silver-sessions-live', users: 'silver-sessions-users', clock: 'silver-sessions-clock' } as const;

/** Every this much of the task's greatest event time, the sweep deletes the expired sessions of every user. */
export const SESSION_SWEEP_MS = 3_600_000;

const SEP = '\u0000';
const TIME_OFFSET = 2n ** 53n;
/** Event time as 14 hex digits, offset so that every safe integer (negatives too) sorts in time order. */
const timeText = (time: number): string => (BigInt(time) + TIME_OFFSET).toString(16).padStart(14, '0');
/** The store key of a live session: user, end, start. */
export const liveSessionKey = (s: Session): string => s.userId + SEP + timeText(s.end) + SEP + timeText(s.start);

const sessionKey = (s: Session): string => `${s.userId}|${s.start}`;

class SessionizerProcessor implements Processor<string, ClickStreamEvent, string, SessionChange> {
  private context!: ProcessorContext<string, SessionChange>;
  /** One entry per live session, keyed user, end, start. */
  private sessions!: KeyValueStore<string, Session>;
  /** Per user: the time of its latest click. */
  private users!: KeyValueStore<string, number>;
  /** `max`: the greatest event time of the task; `swept`: that time at the last sweep. */
  private clock!: KeyValueStore<string, number>;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, SessionChange>): void {
    this.context = context;
    this.sessions = context.getStateStore(SESSION_STORES.sessions);
    this.users = context.getStateStore(SESSION_STORES.users);
    this.clock = context.getStateStore(SESSION_STORES.clock);
  }

  async process(record: StreamRecord<string, ClickStreamEvent>): Promise<void> {
    const e = record.value;
    const user = e.userId;
    const click: ClickEvent = { eventId: e.eventId, userId: user, time: e.time, eventType: e.eventType, channel: e.channel, campaign: e.campaign, page: e.page };
    const latest = this.users.get(user);
    const userTime = Math.max(latest ?? click.time, click.time);
    const horizon = userTime - ALLOWED_LATENESS_MS - SESSION_GAP_MS;
    // The sessions within the gap of the click: ends from t − gap on, up to the first that starts after t + gap.
    const merged: Session[] = [];
    for await (const { value } of this.sessions.range(user + SEP + timeText(click.time - SESSION_GAP_MS), user + '\u0001')) {
      if (value.start > click.time + SESSION_GAP_MS) break;
      merged.push(value);
    }
    const session = merged.reduce(mergeSessions, sessionOf(click));
    const emit = (change: SessionChange, s: Session) => this.context.forward({ key: sessionKey(s), value: change, timestamp: record.timestamp, headers: record.headers });
    for (const s of merged) {
      emit({ old: s, new: null }, s);
      this.sessions.delete(liveSessionKey(s));
    }
    emit({ old: null, new: session }, session);
    if (session.end >= horizon) this.sessions.put(liveSessionKey(session), session);
    if (latest === undefined || userTime > latest) {
      // The horizon moved: the user's sessions that now end before it (end < horizon).
      const expired: string[] = [];
      for await (const { key } of this.sessions.range(user + SEP, user + SEP + timeText(horizon - 1) + '\u0001')) expired.push(key);
      for (const key of expired) this.sessions.delete(key);
      this.users.put(user, userTime);
    }
    const maxTime = Math.max(this.clock.get('max') ?? click.time, click.time);
    this.clock.put('max', maxTime);
    const swept = this.clock.get('swept');
    if (swept === undefined) this.clock.put('swept', maxTime);
    else if (maxTime - swept >= SESSION_SWEEP_MS) {
      this.clock.put('swept', maxTime);
      await this.sweep(maxTime - ALLOWED_LATENESS_MS - SESSION_GAP_MS - this.config.sessionSweepMarginMs);
    }
  }

  /** Deletes every session that ended before `bound`, and the latest click of every user whose latest click is before it. */
  private async sweep(bound: number): Promise<void> {
    for (const [store, timeOf] of [[this.sessions, (s: Session) => s.end], [this.users, (t: number) => t]] as const) {
      const stale: string[] = [];
      for await (const { key, value } of (store as KeyValueStore<string, unknown>).all()) if ((timeOf as (v: unknown) => number)(value) < bound) stale.push(key);
      for (const key of stale) store.delete(key);
    }
  }
}

export function buildSilverSessions(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): KStream<string, SessionChange> {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.sessions), Serdes.String(), Serdes.Json<Session>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.users), Serdes.String(), Serdes.Json<number>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.clock), Serdes.String(), Serdes.Json<number>()));
  const changes = silver
    .filter((_k, e) => e.type === 'click')
    .mapValues((e) => e as ClickStreamEvent)
    .selectKey((_k, e) => e.userId)
    .repartition({ name: 'sessions-by-user', keySerde: Serdes.String(), valueSerde: Serdes.Json<ClickStreamEvent>() })
    .process(() => new SessionizerProcessor(config), { named: 'silver-sessionizer', stores: [SESSION_STORES.sessions, SESSION_STORES.users, SESSION_STORES.clock] });
  // The session topic: retracted sessions become tombstones unless re-emitted under the same key.
  changes
    .filter((_k, c) => c.new !== null || c.old !== null)
    .mapValues((c) => c.new)
    .to(config.topics.sessions, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Session | null>() });
  return changes;
}
