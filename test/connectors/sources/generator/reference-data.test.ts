import { describe, expect, it } from 'vitest';
import { RecordGenerator } from '../../../../connectors/sources/generator/record-generator.ts';
import { schemaViolation } from '../../../../connectors/sources/serde/avro-types.ts';
import type { CampaignSpend, ClickstreamEvent, CustomerProfile, Product, SalesOrder } from '../../../../schemas/generated/index.ts';

const START = Date.UTC(2026, 3, 10, 23, 0);

describe('reference data generated with the traffic', () => {
  const records = new RecordGenerator({ seed: 21, startTime: START, rate: 3, kinds: ['products', 'customers', 'campaigns', 'clickstream', 'sales'] }).take(30_000);
  const of = <T>(kind: string): T[] => records.filter((r) => r.record.kind === kind).map((r) => r.record.value as T);
  const products = of<Product>('products');
  const profiles = of<CustomerProfile>('customers');
  const spend = of<CampaignSpend>('campaigns');
  const clicks = of<ClickstreamEvent>('clickstream');
  const orders = of<SalesOrder>('sales');

  it('sends the catalog first, and every viewed product is in it', () => {
    expect(records.slice(0, products.length).every((r) => r.record.kind === 'products')).toBe(true);
    expect(products.length).toBe(2000);
    const ids = new Set(products.map((p) => p.product_id));
    expect(clicks.filter((c) => c.product_id !== null).every((c) => ids.has(c.product_id!))).toBe(true);
    for (const p of products.slice(0, 50)) expect(schemaViolation('product', p)).toBeNull();
  });

  it('sends a customer’s profile before (or with) the first order naming it, and later updates', () => {
    const known = new Set<number>();
    let ordersChecked = 0;
    for (const r of records) {
      if (r.record.kind === 'customers') known.add(r.record.value.customer_id);
      if (r.record.kind === 'sales' && r.record.value.customer_id !== null) {
        expect(known.has(r.record.value.customer_id)).toBe(true);
        ordersChecked++;
      }
    }
    expect(ordersChecked).toBeGreaterThan(20);
    const versions = new Map<number, number>();
    for (const p of profiles) versions.set(p.customer_id, (versions.get(p.customer_id) ?? 0) + 1);
    expect([...versions.values()].some((n) => n > 1)).toBe(true);
    for (const p of profiles.slice(0, 200)) expect(schemaViolation('customer-profile', p)).toBeNull();
  });

  it('re-states each campaign’s spend every 10 minutes, closing the day at midnight, with the sessions it bought', () => {
    const byCampaign = new Map<string, CampaignSpend[]>();
    for (const s of spend) byCampaign.set(s.campaign_id, [...(byCampaign.get(s.campaign_id) ?? []), s]);
    expect(byCampaign.size).toBe(15);
    const series = [...byCampaign.values()][0]!;
    expect(series[1]!.updated_at - series[0]!.updated_at).toBe(600_000);
    const midnight = Date.UTC(2026, 3, 11);
    const closing = series.find((s) => s.updated_at === midnight)!;
    expect(closing.day).toBe(Date.UTC(2026, 3, 10) / 86_400_000);
    expect(series.find((s) => s.updated_at === midnight + 600_000)!.day).toBe(midnight / 86_400_000);
    for (const [campaign, list] of byCampaign) {
      const last = list.filter((s) => s.day === closing.day).at(-1)!;
      const sessions = new Set(clicks.filter((c) => c.campaign_id === campaign && c.event_time < midnight && c.event_time >= START).map((c) => c.user_session));
      expect(last.clicks).toBeGreaterThanOrEqual(sessions.size);
      for (let i = 1; i < list.length; i++) if (list[i]!.day === list[i - 1]!.day) expect(Number(list[i]!.spend)).toBeGreaterThanOrEqual(Number(list[i - 1]!.spend));
    }
    for (const s of spend.slice(0, 30)) expect(schemaViolation('campaign', s)).toBeNull();
    expect(orders.length).toBeGreaterThan(0);
  });
});
