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
 * Layout: one entry per live session in an ordered store, keyed `user NUL start` (the start
 * as fixed-width hex, so byte order is start order within a user). A session's start stays
 * put while clicks extend it, so an extension overwrites its entry: one changelog record.
 * A user's sessions are disjoint, so in start order they are in end order too. A click
 * range-scans its user's sessions (at most the last 48.5 h of them, usually one or two): the
 * last ends at the user's latest click, so no per-user entry is needed besides the sessions.
 * A second store holds the task's greatest event time as of the last sweep.
 *
 * Output: one change per session key touched. A click that extends a session (its start, so
 * its key `user|start`, unchanged) is one change carrying the old and the new version; a
 * session merged into one that starts earlier is retracted (its key gets a tombstone).
 *
 * Retention (event time): the gate drops a click more than 48 h behind its stream time, so a
 * session whose end is more than 48 h + 30 min behind that stream time can no longer grow or
 * merge, and is dropped.
 * - On each click, from the user's own latest click: a user's clicks reach this task in the
 *   gate's order (silver is keyed by user for clicks, and read as it is), so each was admitted at
 *   a gate stream time at least as late as the user's latest click; the user's sessions that
 *   ended more than 48 h + 30 min before it are deleted (a range scan of just those).
 * - For users who go quiet, a sweep each `SESSION_SWEEP_MS` (1 h) of the task's greatest event
 *   time M deletes every session that ended before M − 48 h − 30 min − `sessionSweepMarginMs`
 *   (default 24 h), of every user. M alone is not
 *   safe: the gate tasks (one per bronze partition) writing the task's silver partition
 *   interleave in any order, so a click one gate task admitted before the one at M may still
 *   be on its way, and its gate stream time may be below M. It is at least M − margin as long
 *   as no bronze partition lags another by more than the margin in event time (a day by
 *   default: far beyond the seconds of a live run; a catch-up after a long outage with very
 *   unequal partitions is the case to size it for). A click the sweep was too early for still merges with what is left, so
 *   the only possible harm is a session split in two, never a lost click.
 * The state therefore holds per user the sessions of at most 48.5 h (+ margin for users who
 * went quiet) of event time, whatever the length of the run.
 */
export interface SessionChange {
  readonly old: Session | null;
  readonly new: Session | null;
}

export const SESSION_STORES = { sessions: 'silver-sessions-by-start', clock: 'silver-sessions-clock' } as const;

/** Every this much of the task's greatest event time, the sweep deletes the expired sessions of every user. */
export const SESSION_SWEEP_MS = 3_600_000;

const SEP = '\u0000';
const TIME_OFFSET = 2n ** 53n;
/** Event time as 14 hex digits, offset so that every safe integer (negatives too) sorts in time order. */
const timeText = (time: number): string => (BigInt(time) + TIME_OFFSET).toString(16).padStart(14, '0');
/** The store key of a live session: user, start. */
export const liveSessionKey = (s: Session): string => s.userId + SEP + timeText(s.start);

/** The start of a live-session key, as `timeText`. */
const startTextOf = (key: string): string => key.slice(key.length - 14);
const encodeSession = (s: Session): Buffer => Buffer.from(JSON.stringify(s));
const decodeSession = (b: Buffer): Session => JSON.parse(b.toString('utf8')) as Session;

const sessionKey = (s: Session): string => `${s.userId}|${s.start}`;

class SessionizerProcessor implements Processor<string, ClickStreamEvent, string, SessionChange> {
  private context!: ProcessorContext<string, SessionChange>;
  /** One entry per live session, keyed user, start; the value is the session's JSON (decoded here, so the sweep decodes only the sessions that start before its bound). */
  private sessions!: KeyValueStore<string, Buffer>;
  /** `max`: the greatest event time of the task, `swept`: that time at the last sweep (both written at each sweep). */
  private clock!: KeyValueStore<string, number>;
  /** The task's greatest event time (at least the stored one: after a restart the sweep may only come later). */
  private maxTime: number | undefined;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, SessionChange>): void {
    this.context = context;
    this.sessions = context.getStateStore(SESSION_STORES.sessions);
    this.clock = context.getStateStore(SESSION_STORES.clock);
  }

  async process(record: StreamRecord<string, ClickStreamEvent>): Promise<void> {
    const e = record.value;
    const user = e.userId;
    const t = e.time;
    const click: ClickEvent = { eventId: e.eventId, userId: user, time: t, eventType: e.eventType, channel: e.channel, campaign: e.campaign, page: e.page };
    // The user's sessions, in start (and end) order: those ending from t − gap on and
    // starting by t + gap merge with the click; the last ends at the user's latest click.
    const held: [string, Session][] = [];
    for await (const { key, value } of this.sessions.range(user + SEP, user + '\u0001')) held.push([key, decodeSession(value)]);
    const userTime = Math.max(t, held.length === 0 ? t : held[held.length - 1]![1].end);
    const horizon = userTime - ALLOWED_LATENESS_MS - SESSION_GAP_MS;
    const merged = held.filter(([, s]) => s.end >= t - SESSION_GAP_MS && s.start <= t + SESSION_GAP_MS);
    const session = merged.reduce((acc, [, s]) => mergeSessions(acc, s), sessionOf(click));
    const key = liveSessionKey(session);
    // Deleted: the sessions merged into one that starts earlier (its entry is another key),
    // and those that ended before the horizon, which nothing can extend or merge with any more.
    for (const [k] of merged) if (k !== key) this.sessions.delete(k);
    for (const [k, s] of held) if (s.end < horizon && k !== key) this.sessions.delete(k);
    const emit = (change: SessionChange, s: Session) => this.context.forward({ key: sessionKey(s), value: change, timestamp: record.timestamp, headers: record.headers });
    let previous: Session | null = null;
    for (const [k, s] of merged) {
      if (k === key) previous = s;
      else emit({ old: s, new: null }, s);
    }
    emit({ old: previous, new: session }, session);
    if (session.end >= horizon) this.sessions.put(key, encodeSession(session));
    else if (held.some(([k]) => k === key)) this.sessions.delete(key);
    await this.tick(t);
  }

  /** Advances the task's time; once per SESSION_SWEEP_MS of it, sweeps. */
  private async tick(time: number): Promise<void> {
    const stored = this.maxTime ?? this.clock.get('max');
    const maxTime = Math.max(stored ?? time, time);
    this.maxTime = maxTime;
    const swept = this.clock.get('swept');
    if (swept !== undefined && maxTime - swept < SESSION_SWEEP_MS) return;
    this.clock.put('max', maxTime);
    this.clock.put('swept', maxTime);
    if (swept !== undefined) await this.sweep(maxTime - ALLOWED_LATENESS_MS - SESSION_GAP_MS - this.config.sessionSweepMarginMs);
  }

  /**
   * Deletes every session, of every user, that ended before `bound`. A session that starts at
   * or after the bound ends after it, so only those starting before it (read from the key:
   * fixed-width hex compares as time) are decoded.
   */
  private async sweep(bound: number): Promise<void> {
    const before = timeText(bound);
    const stale: string[] = [];
    for await (const { key, value } of this.sessions.all()) if (startTextOf(key) < before && decodeSession(value).end < bound) stale.push(key);
    for (const key of stale) this.sessions.delete(key);
  }
}

export function buildSilverSessions(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): KStream<string, SessionChange> {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.sessions), Serdes.String(), Serdes.Bytes()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.clock), Serdes.String(), Serdes.Json<number>()));
  // Silver is keyed by user for clicks (the gate's entityKey): a user's clicks are on one
  // partition already, in the gate's order, so they need no repartition by user.
  const changes = silver
    .filter((_k, e) => e.type === 'click')
    .mapValues((e) => e as ClickStreamEvent)
    .process(() => new SessionizerProcessor(config), { named: 'silver-sessionizer', stores: [SESSION_STORES.sessions, SESSION_STORES.clock] });
  // The session topic: a retracted session's key gets a tombstone; an extended one its new version.
  changes
    .mapValues((c) => c.new)
    .to(config.topics.sessions, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Session | null>() });
  return changes;
}
