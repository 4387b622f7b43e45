import { Serdes, Stores, type KeyValueStore, type KStream, type Processor, type ProcessorContext, type StreamRecord, type StreamsBuilder } from '../runtime/index.ts';
import { ALLOWED_LATENESS_MS } from './logic/silver/lateness.ts';
import type { ClickStreamEvent, InputEvent } from './logic/silver/input-event.ts';
import { SESSION_GAP_MS, sessionize, type ClickEvent, type Session } from './logic/sessions/session.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/**
 * Silver sessions: per user, clicks at most 30 minutes apart form one session (session
 * windows by inactivity gap). A user's recent clicks are kept in a store; each click
 * recomputes that user's open sessions, and the difference is published as session
 * changes: a late click can extend a session or merge two into one (the old ones are
 * retracted). Sessions that ended more than 48 h + 30 min before the task's greatest event
 * time can no longer change (the gate drops anything later) and are forgotten.
 */
export interface SessionChange {
  readonly old: Session | null;
  readonly new: Session | null;
}

export const SESSION_STORES = { clicks: 'silver-sessions-clicks', clock: 'silver-sessions-clock' } as const;

const sessionKey = (s: Session): string => `${s.userId}|${s.start}`;
const same = (a: Session, b: Session): boolean => JSON.stringify(a) === JSON.stringify(b);

class SessionizerProcessor implements Processor<string, ClickStreamEvent, string, SessionChange> {
  private context!: ProcessorContext<string, SessionChange>;
  private clicks!: KeyValueStore<string, ClickEvent[]>;
  private clock!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, SessionChange>): void {
    this.context = context;
    this.clicks = context.getStateStore(SESSION_STORES.clicks);
    this.clock = context.getStateStore(SESSION_STORES.clock);
  }

  process(record: StreamRecord<string, ClickStreamEvent>): void {
    const e = record.value;
    const click: ClickEvent = { eventId: e.eventId, userId: e.userId, time: e.time, eventType: e.eventType, channel: e.channel, campaign: e.campaign, page: e.page };
    const maxTime = Math.max(this.clock.get('max') ?? click.time, click.time);
    this.clock.put('max', maxTime);
    const previous = this.clicks.get(e.userId) ?? [];
    const before = sessionize(previous);
    const all = [...previous, click];
    const after = sessionize(all);
    const emit = (change: SessionChange, s: Session) => this.context.forward({ key: sessionKey(s), value: change, timestamp: record.timestamp, headers: record.headers });
    for (const s of before) if (!after.some((a) => same(a, s))) emit({ old: s, new: null }, s);
    for (const s of after) if (!before.some((b) => same(b, s))) emit({ old: null, new: s }, s);
    const horizon = maxTime - ALLOWED_LATENESS_MS - SESSION_GAP_MS;
    const open = after.filter((s) => s.end >= horizon);
    const kept = all.filter((c) => open.some((s) => c.time >= s.start && c.time <= s.end));
    if (kept.length === 0) this.clicks.delete(e.userId);
    else this.clicks.put(e.userId, kept);
  }
}

/** Adds sessionization; returns the session changes keyed by `user|start`. */
export function buildSilverSessions(builder: StreamsBuilder, silver: KStream<string, InputEvent>, config: PipelineConfig): KStream<string, SessionChange> {
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.clicks), Serdes.String(), Serdes.Json<ClickEvent[]>()));
  builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORES.clock), Serdes.String(), Serdes.Json<number>()));
  const changes = silver
    .filter((_k, e) => e.type === 'click')
    .mapValues((e) => e as ClickStreamEvent)
    .selectKey((_k, e) => e.userId)
    .repartition({ name: 'sessions-by-user', keySerde: Serdes.String(), valueSerde: Serdes.Json<ClickStreamEvent>() })
    .process(() => new SessionizerProcessor(), { named: 'silver-sessionizer', stores: [SESSION_STORES.clicks, SESSION_STORES.clock] });
  // The session topic: retracted sessions become tombstones unless re-emitted under the same key.
  changes
    .filter((_k, c) => c.new !== null || c.old !== null)
    .mapValues((c) => c.new)
    .to(config.topics.sessions, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Session | null>() });
  return changes;
}
