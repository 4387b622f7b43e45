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
 * Retention (event time): the gate drops a click more than 48 h behind its stream time, so a
 * session whose end is more than 48 h + 30 min behind that stream time can no longer grow or
 * merge, and is dropped. The bound is taken from the user's own latest click: a user's
 * clicks reach this task in the gate's order (silver and the repartition are both keyed by
 * user), so each was admitted at a gate stream time at least that late; the task's greatest
 * event time is not safe, since the silver partitions feeding the task interleave in any
 * order and a click admitted earlier may arrive after a later one of another user. The entry
 * per user therefore holds the sessions of the last 48.5 h of that user's event time
 * (a handful), whatever the length of the run.
 */
export interface SessionChange {
  readonly old: Session | null;
  readonly new: Session | null;
}

export const SESSION_STORES = { sessions: 'silver-sessions-live' } as const;

const sessionKey = (s: Session): string => `${s.userId}|${s.start}`;

class SessionizerProcessor implements Processor<string, ClickStreamEvent, string, SessionChange> {
  private context!: ProcessorContext<string, SessionChange>;
  /** Per user: the live sessions, in start order. */
  private sessions!: KeyValueStore<string, Session[]>;

  init(context: ProcessorContext<string, SessionChange>): void {
    this.context = context;
    this.sessions = context.getStateStore(SESSION_STORES.sessions);
  }

  process(record: StreamRecord<string, ClickStreamEvent>): void {
    const e = record.value;
    const click: ClickEvent = { eventId: e.eventId, userId: e.userId, time: e.time, eventType: e.eventType, channel: e.channel, campaign: e.campaign, page: e.page };
    const stored = this.sessions.get(e.userId) ?? [];
    const userTime = stored.reduce((t, s) => Math.max(t, s.end), click.time);
    const horizon = userTime - ALLOWED_LATENESS_MS - SESSION_GAP_MS;
    const merged = stored.filter((s) => s.end >= click.time - SESSION_GAP_MS && s.start <= click.time + SESSION_GAP_MS);
    const session = merged.reduce(mergeSessions, sessionOf(click));
    const emit = (change: SessionChange, s: Session) => this.context.forward({ key: sessionKey(s), value: change, timestamp: record.timestamp, headers: record.headers });
    for (const s of merged) emit({ old: s, new: null }, s);
    emit({ old: null, new: session }, session);
    const live = stored.filter((s) => !merged.includes(s) && s.end >= horizon);
    if (session.end >= horizon) live.splice(insertionPoint(live, session), 0, session);
    if (live.length === 0) this.sessions.delete(e.userId);
    else this.sessions.put(e.userId, live);
  }
}

/** Where `s` goes in sessions sorted by start (equal starts: by first event id). */
function insertionPoint(sessions: readonly Session[], s: Session): number {
  const i = sessions.findIndex((x) => x.start > s.start || (x.start === s.start && x.firstEventId > s.firstEventId));
  return i < 0 ? sessions.length : i;
}

/** Adds sessionization; returns the session changes keyed by `user|start`. */
export function buildSilverSessions(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): KStream<string, SessionChange> {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.sessions), Serdes.String(), Serdes.Json<Session[]>()));
  const changes = silver
    .filter((_k, e) => e.type === 'click')
    .mapValues((e) => e as ClickStreamEvent)
    .selectKey((_k, e) => e.userId)
    .repartition({ name: 'sessions-by-user', keySerde: Serdes.String(), valueSerde: Serdes.Json<ClickStreamEvent>() })
    .process(() => new SessionizerProcessor(), { named: 'silver-sessionizer', stores: [SESSION_STORES.sessions] });
  // The session topic: retracted sessions become tombstones unless re-emitted under the same key.
  changes
    .filter((_k, c) => c.new !== null || c.old !== null)
    .mapValues((c) => c.new)
    .to(config.topics.sessions, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Session | null>() });
  return changes;
}
