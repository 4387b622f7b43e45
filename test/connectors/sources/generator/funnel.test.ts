import { describe, expect, it } from 'vitest';
import type { ClickstreamEvent, SalesOrder } from '../../../../schemas/generated/index.ts';
import { RecordGenerator } from '../../../../connectors/sources/generator/record-generator.ts';

/** Shape checks over a day of traffic: the generator is realistic, not just random. */
describe('generated marketplace', () => {
  const records = new RecordGenerator({ seed: 7, startTime: Date.UTC(2026, 4, 1), rate: 0.6, kinds: ['clickstream', 'sales'] }).take(60_000);
  const clicks = records.filter((r) => r.record.kind === 'clickstream').map((r) => r.record.value as ClickstreamEvent);
  const orders = records.filter((r) => r.record.kind === 'sales').map((r) => r.record.value as SalesOrder);
  const count = (type: string): number => clicks.filter((c) => c.event_type === type).length;

  it('narrows the funnel view > cart > checkout > purchase orders', () => {
    const placed = orders.filter((o) => o.status === 'PLACED').length;
    expect(count('view')).toBeGreaterThan(count('cart') * 5);
    expect(count('cart')).toBeGreaterThan(count('checkout'));
    expect(count('checkout')).toBeGreaterThan(placed);
    expect(placed).toBeGreaterThan(0);
    const sessions = new Set(clicks.map((c) => c.user_session)).size;
    expect(placed / sessions).toBeGreaterThan(0.01);
    expect(placed / sessions).toBeLessThan(0.1);
    // every placed order has a purchase event per line in the same session
    for (const o of orders.filter((x) => x.status === 'PLACED').slice(0, 50)) {
      const purchases = clicks.filter((c) => c.order_id === o.order_id && c.event_type === 'purchase');
      expect(purchases.map((p) => p.product_id).sort()).toEqual(o.lines.map((l) => l.product_id).sort());
    }
  });

  it('names the ordering user on each order: the user of the session\'s clicks, numbered apart from the customer', () => {
    const placed = orders.filter((o) => o.status === 'PLACED');
    for (const o of placed) {
      const session = clicks.filter((c) => c.user_session === o.user_session);
      expect(session.length).toBeGreaterThan(0);
      expect(new Set(session.map((c) => c.user_id))).toEqual(new Set([o.user_id]));
    }
    const registered = placed.filter((o) => o.customer_id !== null);
    expect(registered.length).toBeGreaterThan(placed.length / 2);
    expect(registered.every((o) => o.user_id !== o.customer_id)).toBe(true);
    // a cancellation keeps the user of the order it cancels
    const byId = new Map(placed.map((o) => [o.order_id, o]));
    const cancels = orders.filter((o) => o.status === 'CANCELLED' && byId.has(o.cancels_order_id!));
    expect(cancels.length).toBeGreaterThan(0);
    expect(cancels.every((c) => c.user_id === byId.get(c.cancels_order_id!)!.user_id)).toBe(true);
  });

  it('has Zipf-like popularity, returning users, several currencies and channels', () => {
    const views = new Map<string, number>();
    for (const c of clicks) if (c.event_type === 'view') views.set(c.product_id!, (views.get(c.product_id!) ?? 0) + 1);
    const sorted = [...views.values()].sort((a, b) => b - a);
    const top1pct = sorted.slice(0, Math.ceil(sorted.length / 100)).reduce((a, b) => a + b, 0);
    expect(top1pct / count('view')).toBeGreaterThan(0.1);
    const sessionsPerUser = new Map<number, Set<string>>();
    for (const c of clicks) (sessionsPerUser.get(c.user_id) ?? sessionsPerUser.set(c.user_id, new Set()).get(c.user_id)!).add(c.user_session);
    expect([...sessionsPerUser.values()].filter((s) => s.size > 1).length).toBeGreaterThan(100);
    expect(new Set(orders.map((o) => o.currency)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(clicks.map((c) => c.channel)).size).toBe(7);
    expect(clicks.filter((c) => c.campaign_id !== null).every((c) => c.utm_campaign !== null)).toBe(true);
    expect(orders.some((o) => o.status === 'CANCELLED' && o.cancels_order_id !== null)).toBe(true);
  });

  it('follows the diurnal shape: evenings are busier than the small hours', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const c of clicks) byHour[new Date(c.event_time).getUTCHours()]!++;
    expect(byHour[20]!).toBeGreaterThan(byHour[4]! * 4);
  });
});
