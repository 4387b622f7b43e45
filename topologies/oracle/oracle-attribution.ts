import { render } from './exact.ts';
import type { OracleEvent } from './oracle-input.ts';

/**
 * Attribution recomputed: for each kept order, the kept clicks of its clicker (the order's
 * userId when it has one, else its customer) that carry
 * a campaign and happened at most `lookbackMs` before the order (not after it), in time
 * order then event id. Model weights as documented; each order's revenue is split into
 * cents by largest remainder (ties to the earlier touch). No touches: channel and
 * campaign "(none)".
 */
export interface OracleAttributionRow {
  model: string;
  channel: string;
  campaign: string;
  revenue: string;
}

const WEEK = 7 * 24 * 60 * 60 * 1000;
const MODELS = ['first-touch', 'last-touch', 'linear', 'time-decay', 'position-based'];

function weights(model: string, ages: number[], halfLifeMs: number): bigint[] {
  const n = ages.length;
  if (model === 'first-touch') return ages.map((_, i) => BigInt(i === 0));
  if (model === 'last-touch') return ages.map((_, i) => BigInt(i === n - 1));
  if (model === 'linear') return ages.map(() => 1n);
  if (model === 'time-decay') return ages.map((age) => BigInt(Math.round(2 ** (-age / halfLifeMs) * 1e15)));
  // position-based: 40 % / 20 % shared / 40 %, in twentieths of (n - 2) for n > 2
  if (n < 3) return ages.map(() => 1n);
  return ages.map((_, i) => (i === 0 || i === n - 1 ? 2n * BigInt(n - 2) : 1n));
}

function split(cents: bigint, w: bigint[]): bigint[] {
  const total = w.reduce((a, b) => a + b, 0n);
  const parts = w.map((x) => (cents * x) / total);
  let left = cents - parts.reduce((a, b) => a + b, 0n);
  const order = w.map((x, i) => ({ i, rest: (cents * x) % total })).sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts;
}

export function oracleAttribution(kept: readonly OracleEvent[], lookbackMs = WEEK, halfLifeMs = WEEK): OracleAttributionRow[] {
  const totals = new Map<string, bigint>();
  const credit = (model: string, channel: string, campaign: string, cents: bigint) => {
    const key = JSON.stringify([model, channel, campaign]);
    totals.set(key, (totals.get(key) ?? 0n) + cents);
  };
  for (const order of kept) {
    if (order.kind !== 'order') continue;
    const cents = order.lines.reduce((a, l) => a + l.cents, 0n);
    const touches = kept
      .flatMap((c) => (c.kind === 'click' && c.campaign !== null && c.user === order.clicker && c.t <= order.t && order.t - c.t <= lookbackMs ? [c] : []))
      .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const model of MODELS) {
      if (touches.length === 0) {
        credit(model, '(none)', '(none)', cents);
        continue;
      }
      const parts = split(cents, weights(model, touches.map((t) => order.t - t.t), halfLifeMs));
      touches.forEach((t, i) => credit(model, t.channel, t.campaign!, parts[i]!));
    }
  }
  return [...totals].map(([key, cents]) => {
    const [model, channel, campaign] = JSON.parse(key) as string[];
    return { model: model!, channel: channel!, campaign: campaign!, revenue: render(cents, 2) };
  });
}
