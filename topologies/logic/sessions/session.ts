/**
 * Sessions of a user's clickstream with a 30-minute inactivity gap.
 *
 * Two events belong to one session when at most `gapMs` passes between them (inclusive,
 * like Kafka Streams session windows). A session's channel, campaign and landing page are
 * those of its earliest event (equal times: the smaller event id); it converts when it
 * contains a purchase event. `addEvent` and `mergeSessions` are the aggregator and merger a
 * session-window aggregation needs; `sessionize` is the batch form.
 */
export interface ClickEvent {
  readonly eventId: string;
  readonly userId: string;
  readonly time: number;
  readonly eventType: string;
  readonly channel: string;
  readonly campaign: string | null;
  readonly page: string;
}

export interface Session {
  readonly userId: string;
  readonly start: number;
  /** Time of the last event (the session window's end). */
  readonly end: number;
  readonly events: number;
  readonly channel: string;
  readonly campaign: string | null;
  readonly landingPage: string;
  readonly firstEventId: string;
  readonly converted: boolean;
}

export const SESSION_GAP_MS = 30 * 60_000;

export function sessionOf(event: ClickEvent): Session {
  return {
    userId: event.userId,
    start: event.time,
    end: event.time,
    events: 1,
    channel: event.channel,
    campaign: event.campaign,
    landingPage: event.page,
    firstEventId: event.eventId,
    converted: event.eventType === 'purchase',
  };
}

export function mergeSessions(a: Session, b: Session): Session {
  const first = a.start < b.start || (a.start === b.start && a.firstEventId <= b.firstEventId) ? a : b;
  return {
    ...first,
    end: Math.max(a.end, b.end),
    events: a.events + b.events,
    converted: a.converted || b.converted,
  };
}

export const addEvent = (session: Session, event: ClickEvent): Session => mergeSessions(session, sessionOf(event));

export function sessionize(events: readonly ClickEvent[], gapMs = SESSION_GAP_MS): Session[] {
  const byUser = new Map<string, ClickEvent[]>();
  for (const e of events) {
    const list = byUser.get(e.userId);
    if (list === undefined) byUser.set(e.userId, [e]);
    else list.push(e);
  }
  const sessions: Session[] = [];
  for (const list of byUser.values()) {
    list.sort((x, y) => x.time - y.time || (x.eventId < y.eventId ? -1 : x.eventId > y.eventId ? 1 : 0));
    let current: Session | undefined;
    for (const e of list) {
      if (current !== undefined && e.time - current.end <= gapMs) current = addEvent(current, e);
      else {
        if (current !== undefined) sessions.push(current);
        current = sessionOf(e);
      }
    }
    if (current !== undefined) sessions.push(current);
  }
  return sessions.sort((x, y) => x.start - y.start || (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0));
}
