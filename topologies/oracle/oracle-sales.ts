import { ratio, render } from './exact.ts';
import type { OracleEvent } from './oracle-input.ts';

/**
 * Sales performance recomputed: for every window size, group the kept orders' lines by
 * (window start, category, channel, country); orders = distinct orders in the group.
 */
export interface OracleSalesRow {
  window: string;
  windowStart: number;
  category: string;
  channel: string;
  country: string;
  revenue: string;
  orders: number;
  units: number;
  aov: string;
}

const SIZES: [string, number][] = [['1m', 60 * 1000], ['1h', 60 * 60 * 1000], ['1d', 24 * 60 * 60 * 1000]];

export function oracleSales(kept: readonly OracleEvent[]): OracleSalesRow[] {
  const rows: OracleSalesRow[] = [];
  for (const [window, size] of SIZES) {
    const groups = new Map<string, { start: number; category: string; channel: string; country: string; cents: bigint; orders: Set<string>; units: number }>();
    for (const e of kept) {
      if (e.kind !== 'order') continue;
      const start = Math.floor(e.t / size) * size;
      for (const line of e.lines) {
        const key = `${start}|${line.category}|${e.channel}|${e.country}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { start, category: line.category, channel: e.channel, country: e.country, cents: 0n, orders: new Set(), units: 0 }));
        g.cents += line.cents;
        g.orders.add(e.order + '\u0000' + e.id);
        g.units += line.units;
      }
    }
    for (const g of groups.values()) {
      rows.push({ window, windowStart: g.start, category: g.category, channel: g.channel, country: g.country, revenue: render(g.cents, 2), orders: g.orders.size, units: g.units, aov: ratio(g.cents, BigInt(g.orders.size) * 100n, 2) });
    }
  }
  return rows;
}
