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
 * it (`mergeSessions`), so a late click can extend a session or merge two into one. The
 * result equals `sessionize` over all the user's clicks.
 *
 * Layout: one entry per live session in an ordered store, keyed `user NUL start`, the start
 * written descending (fixed-width hex of −start), so a user's scan meets the latest session
 * first. A session's start stays put while clicks extend it, so an extension overwrites its
 * entry: one changelog record. A user's live sessions are more than the gap apart (a click
 * within the gap of two merges them), so in start order they are in end order too, and a
 * click's scan stops at the first session that ends more than the gap before it, or once it
 * has read a session starting at or before the click (every earlier one ends more than the
 * gap before that start): an in-order click reads one entry. The first entry ends at the
 * user's latest click, so no per-user entry is needed besides the sessions. A second store
 * holds the task's greatest event time as of the last sweep.
 *
 * Output: one change per session key touched. A click that keeps its session's start (so its
 * key `user|start`) is one change carrying the old and the new version; a session merged into
 * one that starts earlier is retracted (its key gets a tombstone).
 *
 * Upgrade: state kept by releases before this layout (store `silver-sessions-live`, keyed
 * `user NUL end NUL start`) is moved into this store by each task before its first record.
 *
 * Retention (event time): the gate drops a click more than 48 h behind its stream time, so a
 * session whose end is more than 48 h + 30 min behind that stream time can no longer grow or
 * merge, and is dropped.
 * - On each click, from the user's own latest click: a user's clicks reach this task in the
 *   gate's order (silver is keyed by user for clicks, and read as it is), so each was admitted at
 *   a gate stream time at least as late as the user's latest click; the user's sessions that
 *   ended more than 48 h + 30 min before it are deleted (a range scan of the sessions that
 *   start before that bound: the oldest ones, usually none).
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

export const SESSION_STORES = { sessions: 'silver-sessions-by-start', clock: 'silver-sessions-clock', legacy: 'silver-sessions-live' } as const;

/** Every this much of the task's greatest event time, the sweep deletes the expired sessions of every user. */
export const SESSION_SWEEP_MS = 3_600_000;

const SEP = '\u0000';
const TIME_OFFSET = 2n ** 53n;
/** Event time as 14 hex digits, offset so that every safe integer (negatives too) sorts in time order. */
const timeText = (time: number): string => (BigInt(time) + TIME_OFFSET).toString(16).padStart(14, '0');
/** The key of the user's sessions starting at `start`, descending: later starts sort first. */
const startKey = (user: string, start: number): string => user + SEP + timeText(-start);
/** The store key of a live session: user, start (descending). */
const liveSessionKey = (s: Session): string => startKey(s.userId, s.start);
/** The greatest key of a user's sessions (every key of the user is below it). */
const userEnd = (user: string): string => user + '\u0001';

/** The start of a live-session key, as `timeText(-start)`. */
const startTextOf = (key: string): string => key.slice(key.length - 14);
const encodeSession = (s: Session): Buffer => Buffer.from(JSON.stringify(s));
const decodeSession = (b: Buffer): Session => JSON.parse(b.toString('utf8')) as Session;

const sessionKey = (s: Session): string => `${s.userId}|${s.start}`;

class SessionizerProcessor implements Processor<string, ClickStreamEvent, string, SessionChange> {
  private context!: ProcessorContext<string, SessionChange>;
  /** One entry per live session, keyed user, start (descending); the value is the session's JSON (decoded here, so the sweep decodes only the sessions that start before its bound). */
  private sessions!: KeyValueStore<string, Buffer>;
  /** `max`: the greatest event time of the task, `swept`: that time at the last sweep (both written at each sweep). */
  private clock!: KeyValueStore<string, number>;
  /** The sessions of the layout before this one, moved into `sessions` before the first record. */
  private legacy!: KeyValueStore<string, Buffer>;
  private migrated = false;
  /** The task's greatest event time (at least the stored one: after a restart the sweep may only come later). */
  private maxTime: number | undefined;

  constructor(private readonly config: PipelineConfig) {}

  init(context: ProcessorContext<string, SessionChange>): void {
    this.context = context;
    this.sessions = context.getStateStore(SESSION_STORES.sessions);
    this.clock = context.getStateStore(SESSION_STORES.clock);
    this.legacy = context.getStateStore(SESSION_STORES.legacy);
  }

  async process(record: StreamRecord<string, ClickStreamEvent>): Promise<void> {
    if (!this.migrated) await this.migrate();
    const e = record.value;
    const user = e.userId;
    const t = e.time;
    const click: ClickEvent = { eventId: e.eventId, userId: user, time: t, eventType: e.eventType, channel: e.channel, campaign: e.campaign, page: e.page };
    // Latest first: sessions starting after t + gap only tell the user's latest click; those
    // ending from t − gap on and starting by t + gap merge with the click; the scan stops at
    // one that ends before t − gap, or after one that starts at or before t.
    const merged: [string, Session][] = [];
    let userTime = t;
    for await (const { key, value } of this.sessions.range(user + SEP, userEnd(user))) {
      const s = decodeSession(value);
      if (s.userId !== user) continue;
      userTime = Math.max(userTime, s.end);
      if (s.end < t - SESSION_GAP_MS) break;
      if (s.start <= t + SESSION_GAP_MS) merged.push([key, s]);
      if (s.start <= t) break;
    }
    const horizon = userTime - ALLOWED_LATENESS_MS - SESSION_GAP_MS;
    const session = merged.reduce((acc, [, s]) => mergeSessions(acc, s), sessionOf(click));
    const key = liveSessionKey(session);
    // Deleted: the sessions merged into one that starts earlier (its entry is another key),
    // and those that ended before the horizon, which nothing can extend or merge with any more
    // (they start before it too: the oldest entries of the user).
    const deleted = new Set(merged.map(([k]) => k).filter((k) => k !== key));
    for await (const { key: k, value } of this.sessions.range(startKey(user, horizon - 1), userEnd(user))) {
      const s = decodeSession(value);
      if (s.userId === user && s.end < horizon && k !== key) deleted.add(k);
    }
    for (const k of deleted) this.sessions.delete(k);
    const emit = (change: SessionChange, s: Session) => this.context.forward({ key: sessionKey(s), value: change, timestamp: record.timestamp, headers: record.headers });
    let previous: Session | null = null;
    for (const [k, s] of merged) {
      if (k === key) previous = s;
      else emit({ old: s, new: null }, s);
    }
    emit({ old: previous, new: session }, session);
    if (session.end >= horizon) this.sessions.put(key, encodeSession(session));
    else if (previous !== null) this.sessions.delete(key);
    await this.tick(t);
  }

  /** Moves every session of the previous layout into this one (once per task; empty after the first time). */
  private async migrate(): Promise<void> {
    const moved: string[] = [];
    for await (const { key, value } of this.legacy.all()) {
      this.sessions.put(liveSessionKey(decodeSession(value)), value);
      moved.push(key);
    }
    for (const key of moved) this.legacy.delete(key);
    this.migrated = true;
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
   * fixed-width hex compares as time, descending) are decoded.
   */
  private async sweep(bound: number): Promise<void> {
    const after = timeText(-bound);
    const stale: string[] = [];
    for await (const { key, value } of this.sessions.all()) if (startTextOf(key) > after && decodeSession(value).end < bound) stale.push(key);
    for (const key of stale) this.sessions.delete(key);
  }
}

export function buildSilverSessions(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): KStream<string, SessionChange> {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.sessions), Serdes.String(), Serdes.Bytes()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.clock), Serdes.String(), Serdes.Json<number>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.legacy), Serdes.String(), Serdes.Bytes()));
  // Silver is keyed by user for clicks (the gate's entityKey): a user's clicks are on one
  // partition already, in the gate's order, so they need no repartition by user.
  const changes = silver
    .filter((_k, e) => e.type === 'click')
    .mapValues((e) => e as ClickStreamEvent)
    .process(() => new SessionizerProcessor(config), { named: 'silver-sessionizer', stores: [SESSION_STORES.sessions, SESSION_STORES.clock, SESSION_STORES.legacy] });
  // The session topic: a retracted session's key gets a tombstone; an extended one its new version.
  changes
    .mapValues((c) => c.new)
    .to(config.topics.sessions, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Session | null>() });
  return changes;
}
