import { describe, expect, it } from 'vitest';
import type { OracleEvent } from '../../../topologies/oracle/oracle-input.ts';
import { oracleFeatures } from '../../../topologies/oracle/oracle-features.ts';

/** The oracle's visitor TTL, worked by hand (30 days; the clock sweeps each hour of event time). */
const H = 3_600_000;
const D = 24 * H;
const T = Date.UTC(2026, 2, 1);
const click = (id: string, user: string, t: number, product: string, type = 'view'): OracleEvent => ({ kind: 'click', id, t, user, type, channel: 'email', page: '/', campaign: null, product });
const order = (id: string, customer: string, clicker: string, t: number, product: string): OracleEvent => ({ kind: 'order', id, t, order: id, customer, clicker, channel: 'email', country: 'DE', lines: [{ product, category: 'toys', units: 1, cents: 100n }] });
const keys = (events: OracleEvent[]) => Object.fromEntries(oracleFeatures(events).map((r) => [r.customerId, Object.keys(r.scores).sort()]));

describe('oracle features: the visitor TTL', () => {
  it('drops a visitor quiet for more than 30 days, keeps one that is not', () => {
    expect(keys([click('k1', 'v1', T, 'p1'), click('k2', 'v2', T + D, 'p2'), click('k3', 'x', T + 31 * D - H, 'p9')])).toEqual({ v2: ['p2'], x: ['p9'] });
  });

  it('keeps a key an order counted for, though its visitor identity expired', () => {
    expect(keys([click('k1', 'c1', T, 'p1'), order('o1', 'c1', 'w1', T + H, 'p3'), click('k2', 'x', T + 60 * D, 'p9')])).toEqual({ c1: ['p1', 'p3'], x: ['p9'] });
  });

  it('hands over only the clicks since the visitor expired; without the TTL, all of them', () => {
    const events = [click('k1', 'v1', T, 'p1'), click('k2', 'x', T + 31 * D, 'p9'), click('k3', 'v1', T + 32 * D, 'p2'), order('o1', 'c1', 'v1', T + 32 * D + H, 'p3')];
    expect(keys(events)).toEqual({ c1: ['p2', 'p3'], x: ['p9'] });
    expect(Object.keys(oracleFeatures(events, undefined, Number.POSITIVE_INFINITY).find((r) => r.customerId === 'c1')!.scores).sort()).toEqual(['p1', 'p2', 'p3']);
  });
});
