import segmentData from '../rfm-segments.json' with { type: 'json' };
import { render } from './exact.ts';
import type { OracleEvent } from './oracle-input.ts';

/**
 * RFM recomputed from the kept orders and cancellations, by the documented rules:
 * recency = ⌊(reference − last order time) / 1 day⌋; frequency = distinct order ids;
 * monetary = order revenue − cancellation amounts; scores are pandas-qcut quintiles (linear
 * interpolation, right-closed bins), R reversed, F over ranks (ties by customer id,
 * numerically for digit ids); the segment comes from the R × F table in rfm-segments.json.
 */
export interface OracleRfmRow {
  customerId: string;
  recencyDays: number;
  frequency: number;
  monetary: string;
  r: number;
  f: number;
  m: number;
  segment: string;
}

/** Quintile (1..5) of each value: 1 + the number of interior edges strictly below it. */
function quintile(values: bigint[]): number[] {
  const s = [...values].sort((a, b) => (a === b ? 0 : a < b ? -1 : 1));
  const n = s.length;
  return values.map((v) => {
    let bin = 1;
    for (let k = 1; k <= 4; k++) {
      const pos = (n - 1) * k; // the edge sits at pos / 5 in the sorted list
      const lo = Math.floor(pos / 5);
      const hi = Math.min(lo + 1, n - 1);
      // v > s[lo] + (pos/5 − lo)(s[hi] − s[lo])  ⇔  5v > 5 s[lo] + (pos − 5 lo)(s[hi] − s[lo])
      if (5n * v > 5n * s[lo]! + BigInt(pos - 5 * lo) * (s[hi]! - s[lo]!)) bin += 1;
    }
    return bin;
  });
}

function byCustomerId(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) !== BigInt(b)) return BigInt(a) < BigInt(b) ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function segmentOf(r: number, f: number): string {
  const hit = segmentData.segments.find((s) => s.recency.includes(r) && s.frequency.includes(f));
  if (!hit) throw new Error(`oracle: no segment for R=${r} F=${f}`);
  return hit.segment;
}

export function oracleRfm(kept: readonly OracleEvent[], referenceTime: number): OracleRfmRow[] {
  const customers = new Map<string, { last: number | null; orders: Set<string>; cents: bigint }>();
  const get = (id: string) => customers.get(id) ?? customers.set(id, { last: null, orders: new Set(), cents: 0n }).get(id)!;
  for (const e of kept) {
    if (e.kind === 'order') {
      const c = get(e.customer);
      c.last = c.last === null ? e.t : Math.max(c.last, e.t);
      c.orders.add(e.order);
      c.cents += e.lines.reduce((a, l) => a + l.cents, 0n);
    } else if (e.kind === 'cancellation') get(e.customer).cents -= e.cents;
  }
  const rows = [...customers].filter(([, c]) => c.last !== null).sort(([a], [b]) => byCustomerId(a, b));
  const recency = rows.map(([, c]) => Math.floor((referenceTime - c.last!) / 86_400_000));
  const frequencyOrder = rows.map((_, i) => i).sort((i, j) => rows[i]![1].orders.size - rows[j]![1].orders.size || i - j);
  const rank = new Array<bigint>(rows.length);
  frequencyOrder.forEach((i, position) => (rank[i] = BigInt(position + 1)));
  const rBins = quintile(recency.map(BigInt));
  const fBins = quintile(rank);
  const mBins = quintile(rows.map(([, c]) => c.cents));
  return rows.map(([customerId, c], i) => {
    const r = 6 - rBins[i]!;
    const f = fBins[i]!;
    return { customerId, recencyDays: recency[i]!, frequency: c.orders.size, monetary: render(c.cents, 2), r, f, m: mBins[i]!, segment: segmentOf(r, f) };
  });
}
