import { Serdes, type KStream, type StreamsBuilder } from '../runtime/index.ts';
import { partialsBy } from './commit-partials.ts';
import { channelFigures, type ChannelFigures } from './logic/gold/channel-performance.ts';
import { orderRevenue } from './logic/gold/order-revenue.ts';
import { WINDOW_SIZES, windowStart } from './logic/gold/windows.ts';
import { toBase } from './logic/money/currency.ts';
import { decimal } from './logic/money/decimal.ts';
import type { InputEvent, OrderEvent, SpendEvent } from './logic/silver/input-event.ts';
import { addCents, fromCents, toCents, type Cents } from './money-json.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import type { SessionChange } from './silver-sessions.ts';

/**
 * Gold marketing channel performance per UTC day × channel: sessions (by the day of their
 * first event) and conversions from the session changes, revenue from the orders, spend from
 * the campaign spend, and the ratios (conversion rate, ROAS, CAC) of logic/gold. Everything
 * enters as a delta, so a retracted session (merged by a late click) is subtracted again.
 * A group whose contributions all cancel is deleted (a tombstone).
 *
 * The deltas are summed per day × channel before each repartition and sent once per commit
 * (commit-partials.ts): a session change per click would otherwise cross the repartition as two
 * records (the retracted and the new session), for a handful of groups. A sum that changes
 * nothing (a click that moved a session's end but not its channel, day or conversion) is not sent.
 */
export interface ChannelRow extends ChannelFigures {
  readonly day: number;
  readonly channel: string;
}

interface ChannelDelta {
  readonly day: number;
  readonly channel: string;
  readonly sessions: number;
  readonly conversions: number;
  readonly revenue: Cents;
  readonly spend: Cents;
  /** Contributions (sessions, orders, spend records) added minus removed. */
  readonly members: number;
}

const DAY = WINDOW_SIZES['1d'];
const zero = (day: number, channel: string): ChannelDelta => ({ day, channel, sessions: 0, conversions: 0, revenue: '0', spend: '0', members: 0 });
export const CHANNEL_STORE = 'gold-channel-performance';

function deltasOf(change: SessionChange): ChannelDelta[] {
  const out: ChannelDelta[] = [];
  for (const [s, sign] of [[change.old, -1], [change.new, 1]] as const) {
    if (s === null) continue;
    out.push({ ...zero(windowStart(s.start, DAY), s.channel), sessions: sign, conversions: s.converted ? sign : 0, members: sign });
  }
  return out;
}

function eventDelta(e: InputEvent, config: PipelineConfig): ChannelDelta[] {
  if (e.type === 'order') return [{ ...zero(windowStart(e.time, DAY), e.channel), revenue: toCents(orderRevenue(e as OrderEvent, config.rates)), members: 1 }];
  if (e.type === 'spend') {
    const s = e as SpendEvent;
    return [{ ...zero(windowStart(s.time, DAY), s.channel), spend: toCents(toBase(decimal(s.amount), s.currency, config.rates)), members: 1 }];
  }
  return [];
}

const addDelta = (a: ChannelDelta, d: ChannelDelta): ChannelDelta => ({
  day: d.day, channel: d.channel, sessions: a.sessions + d.sessions, conversions: a.conversions + d.conversions,
  revenue: addCents(a.revenue, d.revenue), spend: addCents(a.spend, d.spend), members: a.members + d.members,
});
const changesSomething = (d: ChannelDelta): boolean => d.sessions !== 0 || d.conversions !== 0 || d.members !== 0 || BigInt(d.revenue) !== 0n || BigInt(d.spend) !== 0n;

export function buildGoldChannels(builder: StreamsBuilder, silver: KStream<string, InputEvent>, sessions: KStream<string, SessionChange>, config: PipelineConfig): void {
  const serdes = { keySerde: Serdes.String(), valueSerde: Serdes.Json<ChannelDelta>() };
  const summed = (deltas: KStream<string, ChannelDelta>, named: string) =>
    partialsBy(deltas, named, (d) => JSON.stringify([d.day, d.channel]), () => zero(0, ''), addDelta).filter((_k, d) => changesSomething(d));
  // Each input is repartitioned on its own before the merge, so the two source
  // subtopologies stay apart (a merge across them would make one subtopology feed itself).
  summed(sessions.flatMapValues(deltasOf), 'channel-session-sums')
    .repartition({ ...serdes, name: 'channel-session-deltas' })
    .merge(summed(silver.flatMapValues((e) => eventDelta(e, config)), 'channel-event-sums').repartition({ ...serdes, name: 'channel-event-deltas' }))
    .groupByKey(serdes)
    .aggregate<ChannelDelta>(
      () => zero(0, ''),
      (_k, d, a) => addDelta(a, d),
      { store: CHANNEL_STORE, keySerde: Serdes.String(), valueSerde: Serdes.Json<ChannelDelta>() },
    )
    .toStream()
    .mapValues((a): ChannelRow | null => {
      if (a.members === 0) return null;
      const figures = channelFigures({ sessions: a.sessions, conversions: a.conversions, revenue: fromCents(a.revenue), spend: fromCents(a.spend) });
      return { day: a.day, channel: a.channel, ...figures };
    })
    .to(config.topics.channelPerformance, { keySerde: Serdes.String(), valueSerde: config.goldSerdes.channelPerformance() });
}
