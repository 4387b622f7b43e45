import { describe, expect, it } from 'vitest';
import { addEvent, mergeSessions, sessionOf, sessionize, type ClickEvent } from '../../../../topologies/logic/sessions/session.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1, 9);
let n = 0;
const click = (userId: string, minute: number, extra: Partial<ClickEvent> = {}): ClickEvent => ({ eventId: `e${String(++n).padStart(3, '0')}`, userId, time: T0 + minute * MIN, eventType: 'view', channel: 'direct', campaign: null, page: '/p', ...extra });

describe('sessionization (30-minute inactivity gap)', () => {
  it('splits when more than 30 minutes pass, keeps exactly 30 minutes together', () => {
    const events = [
      click('u1', 0, { channel: 'email', campaign: 'spring', page: '/landing' }),
      click('u1', 30), // exactly 30 min later: same session
      click('u1', 61, { channel: 'search', page: '/home' }), // 31 min later: new session
      click('u1', 70, { eventType: 'purchase' }),
      click('u2', 5, { channel: 'social', campaign: 'promo', page: '/sale' }),
    ];
    const sessions = sessionize(events);
    expect(sessions.map((s) => [s.userId, (s.start - T0) / MIN, (s.end - T0) / MIN, s.events, s.channel, s.campaign, s.landingPage, s.converted])).toEqual([
      ['u1', 0, 30, 2, 'email', 'spring', '/landing', false],
      ['u2', 5, 5, 1, 'social', 'promo', '/sale', false],
      ['u1', 61, 70, 2, 'search', null, '/home', true],
    ]);
  });

  it('takes channel, campaign and landing page from the earliest event even when it arrives last', () => {
    const late = click('u1', 0, { channel: 'affiliate', campaign: 'a1', page: '/deal' });
    const s = addEvent(addEvent(sessionOf(click('u1', 20)), click('u1', 10, { eventType: 'purchase' })), late);
    expect([s.channel, s.campaign, s.landingPage, s.start, s.end, s.events, s.converted]).toEqual(['affiliate', 'a1', '/deal', T0, T0 + 20 * MIN, 3, true]);
  });

  it('merging is order-independent (session windows merge in any order)', () => {
    const a = sessionOf(click('u1', 0, { channel: 'email' }));
    const b = sessionOf(click('u1', 25, { channel: 'search', eventType: 'purchase' }));
    expect(mergeSessions(a, b)).toEqual(mergeSessions(b, a));
    expect(mergeSessions(a, b).channel).toBe('email');
  });

  it('an event bridging two sessions joins them', () => {
    const sessions = sessionize([click('u3', 0), click('u3', 50), click('u3', 25)]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.events).toBe(3);
  });
});
