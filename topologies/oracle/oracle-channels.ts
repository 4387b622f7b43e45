import { ratio, render } from './exact.ts';
import type { OracleEvent } from './oracle-input.ts';

/**
 * Channel performance recomputed per (UTC day, channel). Sessions are rebuilt from the kept
 * clicks: per user, clicks in time order (then event id), a new session whenever more
 * than 30 minutes pass since the previous click; the session's channel is its first
 * click's, its day the day of its first click, and it converts if any click is a purchase.
 */
export interface OracleChannelRow {
  day: number;
  channel: string;
  sessions: number;
  conversions: number;
  conversionRate: string | null;
  revenue: string;
  spend: string;
  roas: string | null;
  cac: string | null;
}

const DAY = 24 * 60 * 60 * 1000;
const GAP = 30 * 60 * 1000;

export function oracleSessions(kept: readonly OracleEvent[]): { user: string; start: number; channel: string; campaign: string | null; page: string; converted: boolean; clicks: number }[] {
  const clicks = kept.flatMap((e) => (e.kind === 'click' ? [e] : []));
  clicks.sort((a, b) => (a.user !== b.user ? (a.user < b.user ? -1 : 1) : a.t !== b.t ? a.t - b.t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const sessions: ReturnType<typeof oracleSessions> = [];
  let previous: (typeof clicks)[number] | undefined;
  for (const c of clicks) {
    if (!previous || previous.user !== c.user || c.t - previous.t > GAP) sessions.push({ user: c.user, start: c.t, channel: c.channel, campaign: c.campaign, page: c.page, converted: false, clicks: 0 });
    const s = sessions[sessions.length - 1]!;
    s.clicks += 1;
    if (c.type === 'purchase') s.converted = true;
    previous = c;
  }
  return sessions;
}

export function oracleChannels(kept: readonly OracleEvent[]): OracleChannelRow[] {
  const groups = new Map<string, { day: number; channel: string; sessions: number; conversions: number; revenue: bigint; spend: bigint }>();
  const group = (t: number, channel: string) => {
    const day = t - (t % DAY);
    const key = `${day}|${channel}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { day, channel, sessions: 0, conversions: 0, revenue: 0n, spend: 0n }));
    return g;
  };
  for (const s of oracleSessions(kept)) {
    const g = group(s.start, s.channel);
    g.sessions += 1;
    if (s.converted) g.conversions += 1;
  }
  for (const e of kept) {
    if (e.kind === 'order') group(e.t, e.channel).revenue += e.lines.reduce((a, l) => a + l.cents, 0n);
    if (e.kind === 'spend') group(e.t, e.channel).spend += e.cents;
  }
  return [...groups.values()].map((g) => ({
    day: g.day,
    channel: g.channel,
    sessions: g.sessions,
    conversions: g.conversions,
    conversionRate: g.sessions ? ratio(BigInt(g.conversions), BigInt(g.sessions), 4) : null,
    revenue: render(g.revenue, 2),
    spend: render(g.spend, 2),
    roas: g.spend ? ratio(g.revenue, g.spend, 4) : null,
    cac: g.conversions ? ratio(g.spend, BigInt(g.conversions) * 100n, 2) : null,
  }));
}
